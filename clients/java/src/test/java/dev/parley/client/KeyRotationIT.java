package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server restarted with a new signing key refuses old access tokens; the SDK renews and carries on, signed in. */
class KeyRotationIT {

    @TempDir
    Path keys;

    @Test
    void aRotatedSigningKeyCostsOneSilentRefreshNotALogIn() throws Exception {
        try (TestServer server = TestServer.start("parley_it_rotation")) {
            server.stop();
            useKeys(server, "first");
            server.startAgain();
            String name = "rot_" + UUID.randomUUID().toString().substring(0, 6);
            try (var client = ParleyClient.builder(server.target()).plaintext().build()) {
                client.signUp(name, name + "@example.com", name, "a long passphrase");

                server.stop();
                useKeys(server, "second");
                server.startAgain();

                assertThat(client.refreshMe().getUsername()).isEqualTo(name);
            }
        }
    }

    private void useKeys(TestServer server, String name) throws Exception {
        Path dir = Files.createDirectories(keys.resolve(name));
        Process generate = new ProcessBuilder("../../scripts/generate-jwt-keys", dir.toString()).inheritIO().start();
        assertThat(generate.waitFor()).isZero();
        server.set("PARLEY_AUTH_JWT_PRIVATE_KEY_PATH", dir.resolve("jwt-private.pem").toString());
        server.set("PARLEY_AUTH_JWT_PUBLIC_KEY_PATH", dir.resolve("jwt-public.pem").toString());
    }
}
