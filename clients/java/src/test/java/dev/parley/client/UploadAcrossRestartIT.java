package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.ListMessagesRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's upload resumes after the server is stopped half-way and started again: the file arrives whole, once. */
class UploadAcrossRestartIT {

    @TempDir
    Path folder;

    @Test
    void anUploadCutByARestartResumesFromWhatTheServerHolds() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Path file = folder.resolve("dataset.bin");
        byte[] bytes = new byte[6_000_000];
        new Random(17).nextBytes(bytes);
        Files.write(file, bytes);
        try (TestServer server = TestServer.start("parley_it_sdk_upload");
                var alice = ParleyClient.builder(server.target()).plaintext()
                        .httpAddress(java.net.URI.create(server.httpAddress())).build();
                var bob = ParleyClient.builder(server.target()).plaintext()
                        .httpAddress(java.net.URI.create(server.httpAddress())).build()) {
            alice.signUp("alice_" + run, "alice_" + run + "@example.com", "Alice", "alice's passphrase");
            bob.signUp("bob_" + run, "bob_" + run + "@example.com", "Bob", "bob's passphrase");
            String group = alice.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                    .setTitle("files " + run).addMemberIds(bob.me().getId()).build()).getConversation().getId();

            AtomicBoolean cut = new AtomicBoolean();
            CompletableFuture<Void> restarted = new CompletableFuture<>();
            Attachment sent = alice.upload(group, file, (done, of) -> {
                if (done >= 2 << 20 && cut.compareAndSet(false, true)) {
                    try {
                        server.stop(); // after two chunks: the third finds no server
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    CompletableFuture.runAsync(() -> {
                        try {
                            server.startAgain();
                            restarted.complete(null);
                        } catch (Exception e) {
                            restarted.completeExceptionally(e);
                        }
                    });
                }
            });
            restarted.join();
            alice.send(group, "the data", java.util.List.of(sent));

            assertThat(cut).isTrue();
            assertThat(sent.getSizeBytes()).isEqualTo(bytes.length);
            var message = bob.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group)
                    .build()).getMessages(0);
            assertThat(message.getAttachmentsList()).containsExactly(sent);
            Path copy = bob.download(sent.getId(), false, folder.resolve("copy.bin"));
            assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
            assertThat(bob.download(sent.getId(), false, Files.createDirectory(folder.resolve("in"))))
                    .hasFileName("dataset.bin");
        }
    }
}
