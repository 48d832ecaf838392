package dev.parley.loadgen;

import java.util.Map;

/**
 * The benchmark load generator: {@code fanout}, {@code idle}, {@code sends}, {@code abuse}, {@code search} or {@code files}, options as {@code --name=value}.
 * Prints one JSON line with the result. Run it through {@code scripts/bench}, which starts a fresh server per run.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: loadgen fanout|idle|sends|abuse|search|files [--target=host:port] [--server-pid=N] [options]");
            System.exit(2);
        }
        Options options = Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        Map<String, Object> result = switch (args[0]) {
            case "fanout" -> FanoutWorkload.run(options);
            case "idle" -> IdleWorkload.run(options);
            case "sends" -> SendsWorkload.run(options);
            case "abuse" -> AbuseWorkload.run(options);
            case "search" -> SearchWorkload.run(options);
            case "files" -> FilesWorkload.run(options);
            case "pushes" -> PushesWorkload.run(options);
            default -> throw new IllegalArgumentException("unknown workload " + args[0]);
        };
        System.out.println(Json.of(result));
        System.exit(0);
    }
}
