package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user sees when the server cannot be reached: one line naming the address, exit code 7. Run as the
 * packaged program (`java -jar target/parley-cli.jar`, as scripts/parley does), because what gRPC itself logs to
 * stderr only shows up in a process of its own.
 */
class UnreachableServerIT {

    @TempDir
    Path config;

    record Result(int code, String out, String err) {
    }

    @Test
    void aClosedPortIsReportedInOneLineNamingTheAddress() throws Exception {
        String address = "127.0.0.1:" + closedPort();

        Result result = parley("--server", address, "login", "ada");

        assertThat(result.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1).startsWith("parley: ").contains(address)
                .doesNotContain("io.grpc").doesNotContain("Exception");
    }

    @Test
    void anUnknownHostIsReportedInOneLineWithoutAStackTrace() throws Exception {
        Result result = parley("--server", "no-such-host.invalid:9090", "login", "ada");

        assertThat(result.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1).startsWith("parley: ").contains("no-such-host.invalid:9090")
                .doesNotContain("io.grpc").doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A port that was free a moment ago: nothing listens on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Result parley(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as scripts/parley runs it
        }
        command.addAll(List.of("-jar", Path.of("target", "parley-cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = config.resolve("stdout");
        Path err = config.resolve("stderr");
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                .toFile())).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
        builder.environment().put("PARLEY_CONFIG_DIR", config.resolve("parley").toString());
        builder.environment().put("PARLEY_PASSWORD", "a long enough passphrase");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("parley still running after 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
