package dev.parley.server.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format. Not bcrypt: bcrypt silently ignores everything after 72 bytes,
 * and every character of a password must count. Hashes run on threads of their own, one per core, because each
 * takes 19 MiB and tens of milliseconds of CPU: a burst of log-ins queues there instead of exhausting memory, and a
 * caller on a virtual thread waits unmounted, leaving its carrier to the others (stream reads run there too).
 */
@ApplicationScoped
class PasswordHasher {

    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final ExecutorService hashing = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("password-hashing-", 0).daemon().factory());

    String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    boolean matches(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int parallelism = 0;
        for (String setting : parts[3].split(",")) {
            int value = Integer.parseInt(setting.substring(2));
            switch (setting.charAt(0)) {
                case 'm' -> memory = value;
                case 't' -> iterations = value;
                case 'p' -> parallelism = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] expected = B64_DECODE.decode(parts[5]);
        byte[] actual = derive(password, B64_DECODE.decode(parts[4]), memory, iterations, parallelism);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification, so an unknown login answers as slowly as a wrong password. */
    void waste(String password) {
        derive(password, new byte[16], MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    private byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism) {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        var generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[HASH_BYTES];
        Future<?> hashed = hashing.submit(() -> generator.generateBytes(password.getBytes(StandardCharsets.UTF_8),
                out));
        try {
            hashed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not hash a password", e.getCause());
        }
        return out;
    }
}
