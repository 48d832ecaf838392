package dev.parley.server.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * S3Proxy, a real S3 API server, as a process of its own with its filesystem backend in a temporary directory:
 * the S3 file store's tests talk S3 to it over HTTP exactly as to AWS, credentials and signatures included. Its
 * directory is {@link #directory()}, so a test can see what is stored.
 */
public class S3ProxyServer implements QuarkusTestResourceLifecycleManager {

    public static final String IDENTITY = "parley";
    public static final String CREDENTIAL = "parley-test-secret";
    private static Path directory;
    private Process process;

    /** Where the objects are, as files: {@code <directory>/<bucket>/<key>}. */
    public static Path directory() {
        return directory;
    }

    @Override
    public Map<String, String> start() {
        try {
            int port = 19_400 + (int) (ProcessHandle.current().pid() % 500);
            directory = Files.createTempDirectory("parley-s3");
            Path settings = directory.resolveSibling(directory.getFileName() + ".properties");
            Files.writeString(settings, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + directory));
            String jar = System.getProperty("parley.s3proxy.jar", "target/s3proxy/s3proxy.jar");
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar, "--properties", settings.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolveSibling("s3proxy.log").toFile()).start();
            waitForPort(port);
            return Map.of("parley.attachments.s3.endpoint", "http://127.0.0.1:" + port,
                    "parley.attachments.s3.access-key", IDENTITY, "parley.attachments.s3.secret-key", CREDENTIAL);
        } catch (IOException e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    private void waitForPort(int port) throws IOException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("S3Proxy did not listen on " + port + " within 30 s");
    }
}
