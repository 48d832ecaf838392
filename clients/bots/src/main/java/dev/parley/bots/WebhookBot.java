package dev.parley.bots;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A bot that needs no connection to Parley at all: Parley POSTs direct messages and mentions to its webhook, and
 * whatever text it answers is posted as its reply. It checks each delivery's signature and age first (a forged or
 * replayed request gets 401), and ignores a delivery it has already answered.
 *
 * <p>Run: {@code PARLEY_WEBHOOK_SECRET=... PORT=9090 java -cp ... dev.parley.bots.WebhookBot}, then set the bot's
 * webhook to {@code http://this-host:9090/parley} with BotService.SetBotWebhook.
 */
public final class WebhookBot implements AutoCloseable {

    private static final long REPLAY_WINDOW_SECONDS = 300;
    private static final Pattern TEXT = Pattern.compile("\"message\":\\{.*?\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpServer server;
    private final byte[] secret;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    public WebhookBot(int port, String secret) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/parley", this::handle);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        String secret = System.getenv("PARLEY_WEBHOOK_SECRET");
        if (secret == null) {
            System.err.println("webhook bot: set PARLEY_WEBHOOK_SECRET (from BotService.SetBotWebhook)");
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9090"));
        new WebhookBot(port, secret);
        System.out.println("webhook bot listening on :" + port + "/parley");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        if (!authentic(headers.getFirst("x-parley-timestamp"), headers.getFirst("x-parley-signature"), body)) {
            answer(exchange, 401, "");
            return;
        }
        if (!answered.add(String.valueOf(headers.getFirst("x-parley-delivery")))) {
            answer(exchange, 200, ""); // a repeat of a delivery already answered: nothing more to say
            return;
        }
        Matcher text = TEXT.matcher(body);
        answer(exchange, 200, text.find() ? "You said: " + text.group(1).replace("\\\"", "\"") : "");
    }

    /** HMAC-SHA256 of "timestamp.body" matches, compared in constant time, and the timestamp is recent. */
    boolean authentic(String timestamp, String signature, String body) {
        if (timestamp == null || signature == null || !timestamp.matches("\\d{1,12}")
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > REPLAY_WINDOW_SECONDS) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
