package dev.parley.server.boot;

import dev.parley.server.cluster.RedisUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Pings the configured Redis once before start-up, so a clustered node never starts without its bus. */
final class RedisCheck {

    private static final int TIMEOUT_MILLIS = 3000;

    private RedisCheck() {
    }

    static void ensureReachable(String url) {
        RedisUrl redis = RedisUrl.parse(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(redis.host(), redis.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            if (redis.password() != null) {
                out.write(command("AUTH", redis.user() == null ? "default" : redis.user(), redis.password()));
                expectOk(socket.getInputStream(), redis);
            }
            out.write(command("PING"));
            expectOk(socket.getInputStream(), redis);
        } catch (IOException e) {
            throw new StartupFailure("cannot reach Redis at " + redis.host() + ":" + redis.port() + " ("
                    + e.getMessage() + "). Start Redis there, or unset PARLEY_REDIS_URL to run as a single node.");
        }
    }

    private static void expectOk(InputStream in, RedisUrl redis) throws IOException {
        byte[] reply = new byte[256];
        int read = in.read(reply);
        String text = read <= 0 ? "" : new String(reply, 0, read, StandardCharsets.UTF_8).trim();
        if (!text.startsWith("+")) {
            throw new StartupFailure("Redis at " + redis.host() + ":" + redis.port() + " refused the connection ("
                    + text + "). Check the password in PARLEY_REDIS_URL.");
        }
    }

    private static byte[] command(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(word).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }
}
