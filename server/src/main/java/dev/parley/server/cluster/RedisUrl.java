package dev.parley.server.cluster;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A {@code redis://[user:password@]host[:port][/db]} URL, read once so the start-up check and the client agree. */
public record RedisUrl(String host, int port, String user, String password, String url) {

    public static RedisUrl parse(String url) {
        URI uri = URI.create(url.contains("://") ? url : "redis://" + url);
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        return new RedisUrl(host, uri.getPort() > 0 ? uri.getPort() : 6379, user, password, uri.toString());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
