package dev.parley.server.notification;

import dev.parley.server.common.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server's identity towards push services (VAPID, RFC 8292): one P-256 key pair per deployment, shared by every
 * replica (server_secrets), whose public half browsers subscribe with; each push carries a JWT signed with it (ES256)
 * for the endpoint's origin, valid 12 hours, naming who to contact.
 */
@ApplicationScoped
class Vapid {

    private static final String SECRET_NAME = "vapid_key_pair";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private static final Duration REUSE = Duration.ofHours(1);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ServerSecrets secrets;
    private final NotificationConfig config;
    private final Clock clock;
    private volatile Keys keys;
    private final java.util.Map<String, Signed> signed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token's header and when it was signed. */
    private record Signed(String header, java.time.Instant signedAt) {
    }

    /** The private key, and the public one as subscribers are given it. */
    private record Keys(PrivateKey privateKey, byte[] publicPoint) {
    }

    Vapid(ServerSecrets secrets, NotificationConfig config, Clock clock) {
        this.secrets = secrets;
        this.config = config;
        this.clock = clock;
    }

    /** The public key, base64url: a browser's applicationServerKey. */
    String publicKey() {
        return BASE64URL.encodeToString(keys().publicPoint());
    }

    /**
     * The Authorization header of a push to this endpoint. A token names only the push service's origin, so one is
     * signed per origin and reused for an hour (it is valid for 12): a signature per push cost more than the push.
     */
    String authorization(URI endpoint) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        java.time.Instant now = clock.instant();
        Signed known = signed.get(audience);
        if (known != null && now.isBefore(known.signedAt().plus(REUSE))) {
            return known.header();
        }
        String header = sign(audience, now);
        signed.put(audience, new Signed(header, now));
        return header;
    }

    private String sign(String audience, java.time.Instant now) {
        long expires = now.plus(TOKEN_LIFETIME).getEpochSecond();
        String header = encode("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
        String claims = encode("{\"aud\":\"" + json(audience) + "\",\"exp\":" + expires + ",\"sub\":\""
                + json(config.vapidSubject()) + "\"}");
        String signed = header + "." + claims;
        try {
            // ES256 wants r and s side by side (JWS), which is the JDK's "P1363" format.
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(keys().privateKey());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return "vapid t=" + signed + "." + BASE64URL.encodeToString(signature.sign()) + ", k=" + publicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a VAPID token", e);
        }
    }

    private Keys keys() {
        Keys known = keys;
        if (known == null) {
            known = decode(secrets.get(SECRET_NAME, Vapid::freshPair));
            keys = known;
        }
        return known;
    }

    /** A new pair, stored as the PKCS #8 private key's length (2 bytes), the key, then the public point. */
    private static byte[] freshPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(P256.parameters());
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPrivate().getEncoded();
            return ByteBuffer.allocate(2 + encoded.length + P256.POINT_BYTES).putShort((short) encoded.length)
                    .put(encoded).put(P256.point((ECPublicKey) pair.getPublic())).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make a VAPID key pair", e);
        }
    }

    private static Keys decode(byte[] stored) {
        int length = ByteBuffer.wrap(stored).getShort() & 0xffff;
        try {
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Arrays.copyOfRange(stored, 2, 2 + length)));
            return new Keys(key, Arrays.copyOfRange(stored, 2 + length, stored.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The stored VAPID key pair is unreadable", e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
