package dev.parley.server.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push service and the browsers behind it, for tests: an HTTP server on 127.0.0.2 (the network the test profile
 * allows) with one path per subscription, each with its own P-256 key pair and auth secret, that checks every
 * push's VAPID signature and decrypts its payload as a browser would (RFC 8291, written here from the RFC, not
 * from the server's code).
 */
final class PushReceiver implements AutoCloseable {

    /** What arrived at one subscription: the decrypted JSON, the VAPID claims, and what it was answered. */
    record Push(String subscription, JsonNode payload, JsonNode claims, String vapidKey, String ttl, int answeredWith) {
    }

    /** One browser's subscription: its keys, and what its endpoint answers. */
    final class Subscription {
        final String name;
        final KeyPair keys;
        final byte[] auth = new byte[16];
        volatile IntSupplier answer = () -> 201;

        Subscription(String name) throws GeneralSecurityException {
            this.name = name;
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
            new SecureRandom().nextBytes(auth);
        }

        String endpoint() {
            return "http://127.0.0.2:" + server.getAddress().getPort() + "/push/" + name;
        }

        String p256dh() {
            return B64.encodeToString(point((ECPublicKey) keys.getPublic()));
        }

        String authSecret() {
            return B64.encodeToString(auth);
        }

        List<Push> pushes() {
            return received.stream().filter(p -> p.subscription().equals(name)).toList();
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    final List<Push> received = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    PushReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/push/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/push/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            try {
                Subscription subscription = subscriptions.get(name);
                if (subscription == null) {
                    throw new IllegalStateException("no subscription " + name);
                }
                if (!"aes128gcm".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    throw new IllegalStateException("not aes128gcm");
                }
                String origin = "http://127.0.0.2:" + server.getAddress().getPort();
                String[] vapid = vapid(exchange.getRequestHeaders().getFirst("Authorization"));
                JsonNode claims = verify(vapid[0], vapid[1], origin);
                JsonNode payload = JSON.readTree(decrypt(body, subscription));
                status = subscription.answer.getAsInt();
                received.add(new Push(name, payload, claims, vapid[1], exchange.getRequestHeaders().getFirst("TTL"),
                        status));
            } catch (Exception e) {
                refused.add(e.toString());
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    Subscription subscribe(String name) throws GeneralSecurityException {
        Subscription subscription = new Subscription(name);
        subscriptions.put(name, subscription);
        return subscription;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** "vapid t=<jwt>, k=<key>" (RFC 8292 section 3). */
    private static String[] vapid(String header) {
        if (header == null || !header.startsWith("vapid ")) {
            throw new IllegalStateException("no VAPID authorization: " + header);
        }
        String token = null;
        String key = null;
        for (String part : header.substring(6).split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair[0].equals("t")) {
                token = pair[1];
            } else if (pair[0].equals("k")) {
                key = pair[1];
            }
        }
        return new String[] {token, key};
    }

    /** The JWT's claims once its ES256 signature checks out with k, its audience is this origin and it is current. */
    private static JsonNode verify(String token, String key, String origin) throws Exception {
        String[] parts = token.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        if (!"ES256".equals(header.path("alg").asText())) {
            throw new IllegalStateException("not ES256");
        }
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initVerify(publicKey(Base64.getUrlDecoder().decode(key)));
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
            throw new IllegalStateException("bad VAPID signature");
        }
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        long now = System.currentTimeMillis() / 1000;
        if (!claims.path("aud").asText().equals(origin) || claims.path("exp").asLong() <= now
                || claims.path("exp").asLong() > now + 24 * 3600 || claims.path("sub").asText().isEmpty()) {
            throw new IllegalStateException("bad VAPID claims " + claims);
        }
        return claims;
    }

    /** RFC 8291 section 3.4 and RFC 8188, as the user agent: one record, delimiter 2, no padding expected. */
    static byte[] decrypt(byte[] body, Subscription subscription) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int recordSize = in.getInt();
        byte[] senderKey = new byte[in.get() & 0xff];
        in.get(senderKey);
        byte[] record = new byte[in.remaining()];
        in.get(record);
        if (record.length > recordSize) {
            throw new IllegalStateException("more than one record");
        }
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(subscription.keys.getPrivate());
        agreement.doPhase(publicKey(senderKey), true);
        byte[] ecdh = agreement.generateSecret();
        byte[] uaPublic = point((ECPublicKey) subscription.keys.getPublic());
        byte[] info = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
                .put(uaPublic).put(senderKey).array();
        byte[] ikm = hkdf(subscription.auth, ecdh, info, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = cipher.doFinal(record);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new IllegalStateException("no last-record delimiter");
        }
        return Arrays.copyOf(padded, end);
    }

    /** HKDF-SHA-256 (RFC 5869), extract then expand, for outputs of at most one block. */
    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    static byte[] point(ECPublicKey key) {
        byte[] x = fixed(key.getW().getAffineX());
        byte[] y = fixed(key.getW().getAffineY());
        return ByteBuffer.allocate(65).put((byte) 4).put(x).put(y).array();
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    static PublicKey publicKey(byte[] point) throws GeneralSecurityException {
        var parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65))),
                curve));
    }
}
