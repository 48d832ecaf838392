package dev.parley.server.support;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code quarkus-run.jar}) run as its own process, the way operators run it: configured only by
 * environment variables, stopped with SIGTERM or killed with SIGKILL.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private final Process process;
    private final Path log;
    private final int port;
    private ManagedChannel channel;

    private final int grpcPort;
    private final int managementPort;

    private ServerProcess(Process process, Path log, int port, int grpcPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.grpcPort = grpcPort;
        this.managementPort = managementPort;
    }

    /** Starts the server with exactly these PARLEY_* variables (any others of the caller's are removed). */
    public static ServerProcess start(String name, Map<String, String> environment) throws IOException {
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + "-" + port + ".log");
        ProcessBuilder builder = command();
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
        builder.environment().putAll(environment);
        // the tests sign up hundreds of people from 127.0.0.1, past the per-address limit meant for strangers
        builder.environment().putIfAbsent("PARLEY_AUTH_SIGN_UPS_PER_ADDRESS", "1000000");
        builder.environment().putIfAbsent("PARLEY_AUTH_RESET_REQUESTS_PER_ADDRESS", "1000000");
        builder.environment().putIfAbsent("PARLEY_AUTH_JWT_KEEP_GENERATED_KEY", "true");
        builder.environment().putIfAbsent("PARLEY_LIMITS_SCALE", "1000"); // nor to write past an account's limits
        int grpcPort = freePort();
        builder.environment().put("PARLEY_PORT", Integer.toString(port));
        builder.environment().put("PARLEY_GRPC_PORT", Integer.toString(grpcPort));
        int managementPort = freePort();
        builder.environment().put("PARLEY_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().putIfAbsent("PARLEY_HOST", "127.0.0.1");
        builder.environment().putIfAbsent("PARLEY_WEB_PUBLIC_URL", "http://localhost:" + port); // links in mail
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess(builder.start(), log, port, grpcPort, managementPort);
    }

    /** Runs the server expecting it to exit; returns its exit code and everything it printed. */
    public static Exited runUntilExit(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = command();
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
        builder.environment().putAll(environment);
        // the tests sign up hundreds of people from 127.0.0.1, past the per-address limit meant for strangers
        builder.environment().putIfAbsent("PARLEY_AUTH_SIGN_UPS_PER_ADDRESS", "1000000");
        builder.environment().putIfAbsent("PARLEY_AUTH_RESET_REQUESTS_PER_ADDRESS", "1000000");
        builder.environment().putIfAbsent("PARLEY_AUTH_JWT_KEEP_GENERATED_KEY", "true");
        builder.environment().putIfAbsent("PARLEY_LIMITS_SCALE", "1000"); // nor to write past an account's limits
        builder.environment().put("PARLEY_PORT", Integer.toString(freePort()));
        builder.environment().put("PARLEY_GRPC_PORT", Integer.toString(freePort()));
        builder.environment().put("PARLEY_MANAGEMENT_PORT", Integer.toString(freePort()));
        builder.redirectErrorStream(false);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit");
        }
        return new Exited(process.exitValue(), new String(process.getErrorStream().readAllBytes()),
                new String(process.getInputStream().readAllBytes()));
    }

    /** How a server that was expected to stop by itself ended. */
    public record Exited(int code, String stderr, String stdout) {
    }

    /** Waits until the health service answers SERVING; fails with the server's output if it dies or hangs. */
    public ServerProcess awaitServing() throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                var status = HealthGrpc.newBlockingStub(channel()).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == HealthCheckResponse.ServingStatus.SERVING) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not serving after " + START_TIMEOUT + ":\n" + output());
    }

    /** Whether the process is still running (during a graceful stop: not yet exited). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The HTTP port: the web app and gRPC-Web. */
    public int port() {
        return port;
    }

    /** The native gRPC port. */
    public int grpcPort() {
        return grpcPort;
    }

    /** The value of one Prometheus counter or gauge on the node's management port (0 when absent). */
    public double metric(String name) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** The node's readiness report (/q/health/ready on the management port), as JSON text. */
    public String readiness() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    public synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = Api.channel("127.0.0.1", grpcPort);
        }
        return channel;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then waits for a clean exit. */
    public int stop() throws Exception {
        closeChannel();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("server ignored SIGTERM for a minute");
        }
        return process.exitValue();
    }

    /** SIGKILL: the node dies without closing anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            closeChannel();
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    private static ProcessBuilder command() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("parley.server.jar", "target/quarkus-app/quarkus-run.jar");
        return new ProcessBuilder(java, "-Xmx512m", "-jar", jar);
    }

    /**
     * A port for a server to listen on, below Linux's ephemeral range (32768 and up) and never handed out twice
     * in this JVM. A port the system picked (bind to 0) and released could be taken, before the server bound it,
     * by another server's outgoing connection to PostgreSQL or Redis: a node failed to start that way in CI.
     */
    public static int freePort() throws IOException {
        for (int tries = 0; tries < 2_000; tries++) {
            int port = PORTS_FROM + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS_COUNT);
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port between " + PORTS_FROM + " and " + (PORTS_FROM + PORTS_COUNT));
    }

    private static final int PORTS_FROM = 20_000;
    private static final int PORTS_COUNT = 12_000;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic
            .AtomicInteger((int) (ProcessHandle.current().pid() * 37 % PORTS_COUNT));
}
