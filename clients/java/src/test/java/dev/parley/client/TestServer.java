package dev.parley.client;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as a process for the client tests, on a database of its own (recreated) in the machine's
 * PostgreSQL; it can be stopped and started again on the same port, as a restart would.
 */
public final class TestServer implements AutoCloseable {

    private final String database;
    private final int port;
    private final int managementPort;
    private final int httpPort;
    private final Path log;
    private final java.util.Map<String, String> settings = new java.util.HashMap<>();
    private Process process;

    private TestServer(String database) throws IOException {
        this.database = database;
        this.port = freePort();
        this.managementPort = freePort();
        this.httpPort = freePort();
        this.log = Files.createDirectories(Path.of("target", "it-logs")).resolve(database + ".log");
    }

    /** Recreates the database, then starts the server on it and waits until it answers. */
    public static TestServer start(String database) throws Exception {
        dropWithPsql(database);
        TestServer server = new TestServer(database);
        server.startAgain();
        return server;
    }

    /** A PARLEY_* setting for the next {@link #startAgain()}. */
    public void set(String name, String value) {
        settings.put(name, value);
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /** The HTTP address (web app, gRPC-Web, downloads), with a trailing slash. */
    public String httpAddress() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** Starts the stopped server again, same port, same database. */
    public void startAgain() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "-Xmx512m", "-jar", System.getProperty("parley.server.jar"));
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
        builder.environment().put("PARLEY_GRPC_PORT", Integer.toString(port));
        builder.environment().put("PARLEY_PORT", Integer.toString(httpPort));
        builder.environment().put("PARLEY_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("PARLEY_HOST", "127.0.0.1");
        // the example webhook bot listens beside the server, on loopback, which webhooks may not reach by default
        builder.environment().put("PARLEY_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1/32");
        // the tests sign up many people from 127.0.0.1, past the per-address limit meant for strangers
        builder.environment().put("PARLEY_AUTH_SIGN_UPS_PER_ADDRESS", "1000000");
        builder.environment().put("PARLEY_LIMITS_SCALE", "1000"); // the tests write faster than people may
        builder.environment().put("PARLEY_AUTH_RESET_REQUESTS_PER_ADDRESS", "1000000");
        builder.environment().put("PARLEY_AUTH_JWT_KEEP_GENERATED_KEY", "true");
        builder.environment().put("PARLEY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/" + database);
        builder.environment().putAll(settings);
        process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitAnswering();
    }

    /** SIGTERM and wait: a clean restart's first half. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Serving means answering a log-in: UNAUTHENTICATED for a made-up account. */
    private void awaitAnswering() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("server exited:\n" + Files.readString(log));
                }
                try {
                    AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .logIn(LogInRequest.newBuilder().setLogin("nobody-at-all").setPassword("x").build());
                } catch (StatusRuntimeException answer) {
                    if (answer.getStatus().getCode() != Status.Code.UNAVAILABLE
                            && answer.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
            throw new AssertionError("server not answering after 90 s:\n" + Files.readString(log));
        } finally {
            channel.shutdownNow();
        }
    }

    /** The server creates its database when missing; psql (PostgreSQL's client) drops the last run's. */
    private static void dropWithPsql(String database) throws Exception {
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                "drop database if exists " + database + " with (force)").inheritIO().start();
        if (psql.waitFor() != 0) {
            throw new AssertionError("could not recreate database " + database);
        }
    }

    /**
     * A port below Linux's ephemeral range (32768 and up), never handed out twice in this JVM: a port the system
     * picked and released could be taken by an outgoing connection before the server bound it.
     */
    private static int freePort() throws IOException {
        for (int tries = 0; tries < 2_000; tries++) {
            int port = 20_000 + Math.floorMod(NEXT_PORT.getAndIncrement(), 12_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic
            .AtomicInteger((int) (ProcessHandle.current().pid() * 53 % 12_000));
}
