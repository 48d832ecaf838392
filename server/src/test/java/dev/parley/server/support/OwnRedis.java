package dev.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own, on a port of its own, which the test may freeze (SIGSTOP), thaw, stop and start
 * again on the same port, as an outage would, without touching the Redis the rest of the suite shares.
 */
public final class OwnRedis implements AutoCloseable {

    private final int port;
    private Process process;

    private OwnRedis(int port) {
        this.port = port;
    }

    public static OwnRedis start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OwnRedis redis = new OwnRedis(port);
        redis.startAgain();
        return redis;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) on its port, empty, as a restarted Redis is. */
    public void startAgain() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("redis-server listening on " + port).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /** Kills it: connections drop, the port refuses. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public void freeze() throws Exception {
        signal("STOP");
    }

    public void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String signal) throws Exception {
        if (process.isAlive()) {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            assertThat(exit).as("kill -" + signal).isZero();
        }
    }

    @Override
    public void close() throws Exception {
        thaw();
        stop();
    }
}
