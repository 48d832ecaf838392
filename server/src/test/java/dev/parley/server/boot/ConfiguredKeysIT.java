package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators who bring their own signing key get tokens signed with it. */
class ConfiguredKeysIT {

    @TempDir
    Path dir;

    @Test
    void accessTokensAreSignedWithTheConfiguredKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));

        try (ServerProcess server = ServerProcess.start("configured-keys", Map.of(
                "PARLEY_DATA_DIR", dir.resolve("data").toString(),
                "PARLEY_AUTH_JWT_PRIVATE_KEY_PATH", dir.resolve("private.pem").toString(),
                "PARLEY_AUTH_JWT_PUBLIC_KEY_PATH", dir.resolve("public.pem").toString())).awaitServing()) {
            String token = AuthServiceGrpc.newBlockingStub(server.channel()).signUp(SignUpRequest.newBuilder()
                    .setUsername("keyholder").setEmail("keys@example.com").setPassword("a long passphrase").build())
                    .getTokens().getAccessToken();

            var claims = new JwtConsumerBuilder().setVerificationKey(keys.getPublic()).setExpectedIssuer("parley")
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .build().processToClaims(token);
            assertThat(claims.getClaimValueAsString("sid")).isNotBlank();
            server.stop();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
