package dev.parley.server.notification;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291) in the "aes128gcm" content coding (RFC 8188): a fresh P-256 key pair
 * per message, agreed with the subscription's key (ECDH) and mixed with its auth secret (HKDF-SHA-256) into a
 * content key and nonce; the payload in one record. Only the subscriber's browser can read it: the push service
 * carries bytes it cannot open. On the JDK's own crypto, so no provider is added to the server.
 */
final class WebPushEncryption {

    /** The record size written in the header: the whole payload fits one record (Web Push allows 4,096 bytes). */
    static final int RECORD_SIZE = 4096;
    /** The most plaintext one record holds: the record less the tag (16) and the delimiter (1). */
    static final int MOST_PLAINTEXT = RECORD_SIZE - 17 - 86;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushEncryption() {
    }

    /** The body of a push to this subscription carrying {@code plaintext}. */
    static byte[] encrypt(byte[] plaintext, byte[] subscriptionKey, byte[] authSecret) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(P256.parameters(), RANDOM);
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return encrypt(plaintext, subscriptionKey, authSecret, generator.generateKeyPair(), salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt a push", e);
        }
    }

    /** The same with the sender's key pair and salt given: RFC 8291's example is checked with this. */
    static byte[] encrypt(byte[] plaintext, byte[] subscriptionKey, byte[] authSecret, KeyPair sender, byte[] salt)
            throws GeneralSecurityException {
        if (plaintext.length > MOST_PLAINTEXT) {
            throw new IllegalArgumentException("a push carries at most " + MOST_PLAINTEXT + " bytes");
        }
        ECPublicKey receiver = P256.publicKey(subscriptionKey);
        byte[] senderPoint = P256.point((ECPublicKey) sender.getPublic());
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(sender.getPrivate());
        agreement.doPhase(receiver, true);
        byte[] shared = agreement.generateSecret();

        // RFC 8291 section 3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0 || ua_public || as_public)
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), subscriptionKey, senderPoint);
        byte[] ikm = expand(hmac(authSecret, shared), keyInfo, 32);
        // RFC 8188 section 2.2: the content key and nonce from the salt
        byte[] prk = hmac(salt, ikm);
        byte[] key = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        // The last (and only) record ends with the delimiter 2 and no padding.
        byte[] record = cipher.doFinal(concat(plaintext, new byte[] {2}));

        ByteBuffer body = ByteBuffer.allocate(16 + 4 + 1 + senderPoint.length + record.length);
        body.put(salt).putInt(RECORD_SIZE).put((byte) senderPoint.length).put(senderPoint).put(record);
        return body.array();
    }

    /** HKDF-Expand for one block (RFC 5869), all Web Push needs: the first {@code length} bytes of T(1). */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
