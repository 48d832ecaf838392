package dev.parley.server.attachment;

import dev.parley.server.common.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Download addresses that need no token: the attachment, the variant and the expiry, signed with HMAC-SHA256 under
 * a key every replica shares (server_secrets, made by whichever node needs it first), so a link any node gave works
 * on every node, and a browser can put it in an {@code <img>} element, which sends no Authorization header.
 */
@ApplicationScoped
class AttachmentLinks {

    private static final String KEY_NAME = "attachment_links";

    private final ServerSecrets secrets;
    private volatile SecretKeySpec key;

    AttachmentLinks(ServerSecrets secrets) {
        this.secrets = secrets;
    }

    /** The path of a link, ready to be resolved against the server's HTTP address. */
    String path(UUID attachmentId, boolean thumbnail, Instant expires) {
        long seconds = expires.getEpochSecond();
        return "/files/" + attachmentId + "?" + (thumbnail ? "thumbnail=1&" : "") + "expires=" + seconds
                + "&signature=" + signature(attachmentId, thumbnail, seconds);
    }

    /** Whether a link's signature is this server's for these values (the caller checks the expiry). */
    boolean valid(UUID attachmentId, boolean thumbnail, long expires, String signature) {
        byte[] expected = signature(attachmentId, thumbnail, expires).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(UUID attachmentId, boolean thumbnail, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            byte[] signed = mac.doFinal((attachmentId + "\n" + (thumbnail ? "thumbnail" : "file") + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a download link", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            known = new SecretKeySpec(secrets.get(KEY_NAME, () -> {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                return fresh;
            }), "HmacSHA256");
            key = known;
        }
        return known;
    }
}
