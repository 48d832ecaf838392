package dev.parley.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on webhook deliveries: "v1=" + hex HMAC-SHA256 of "{timestamp}.{body}" under the bot's secret.
 * The timestamp is signed too, so a captured delivery cannot be replayed later: receivers refuse old ones.
 */
public final class WebhookSignature {

    /** How old a delivery's timestamp may be when it is checked. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** What a receiver checks: the signature matches (in constant time) and the timestamp is recent. */
    public static boolean verify(String secret, String timestamp, String body, String signature, Instant now) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > REPLAY_WINDOW.toSeconds() || signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, seconds, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
