package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.StreamClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarts under a running server: a PostgreSQL of this test's own (the shared one serves the rest of
 * the suite), stopped and started again on the same port and data. While it is down, sends fail fast with
 * UNAVAILABLE and RetryInfo, well within their deadline, and the open stream stays open; once it is back, sends
 * succeed again, and the stream's ledger holds every acknowledged message once, in order.
 */
class DatabaseRestartIT {

    @Test
    void sendsFailFastWhilePostgresIsDownStreamsStayOpenAndNothingAcknowledgedIsLost() throws Exception {
        Path data = Files.createTempDirectory("parley-restarted-postgres");
        int port = ServerProcess.freePort();
        EmbeddedPostgres postgres = startPostgres(data, port);
        try (ServerProcess server = ServerProcess.start("database-restart", Map.of("PARLEY_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:" + port + "/parley")).awaitServing()) {
            SignUpResponse writer = signUp(server, "writer");
            SignUpResponse reader = signUp(server, "reader");
            String group = Api.withToken(ConversationServiceGrpc.newBlockingStub(server.channel()), token(writer))
                    .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("restart")
                            .addMemberIds(reader.getUser().getId()).build()).getConversation().getId();
            var messages = Api.withToken(MessageServiceGrpc.newBlockingStub(server.channel()), token(writer));
            List<String> acknowledged = new ArrayList<>();
            try (var stream = StreamClient.open(server.channel(), token(reader), Map.of(), true)) {
                stream.awaitReady();
                for (int i = 0; i < 5; i++) {
                    acknowledged.add(send(messages, group, "before " + i).getText());
                }

                postgres.close();
                for (int i = 0; i < 5; i++) {
                    long started = System.nanoTime();
                    try {
                        acknowledged.add(send(messages, group, "while down " + i).getText());
                    } catch (StatusRuntimeException refused) {
                        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(Errors.retryDelay(refused)).as("RetryInfo").isPresent();
                        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed fast")
                                .isLessThan(Duration.ofSeconds(3));
                    }
                }
                assertThat(stream.isOpen()).as("the stream stays open while PostgreSQL is down").isTrue();

                postgres = startPostgres(data, port);
                for (int i = 0; i < 5; i++) {
                    String text = "after " + i;
                    acknowledged.add(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .ignoreException(StatusRuntimeException.class)
                            .until(() -> send(messages, group, text).getText(), sent -> true));
                }

                List<ConversationEvent> events = stream.events(acknowledged.size());
                assertThat(events).extracting(e -> e.getMessageSent().getText())
                        .containsExactlyElementsOf(acknowledged);
                assertThat(events).extracting(ConversationEvent::getSequence).isSorted().doesNotHaveDuplicates();
            }
            assertThat(messages.listMessages(ListMessagesRequest.newBuilder().setConversationId(group)
                    .setPageSize(50).build()).getMessagesList()).extracting(Message::getText)
                    .containsExactlyElementsOf(acknowledged);
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    /** One send with a client message id of its own, so that a retried send is the same send. */
    private static Message send(MessageServiceGrpc.MessageServiceBlockingStub messages, String group, String text) {
        return messages.withDeadlineAfter(5, TimeUnit.SECONDS).sendMessage(SendMessageRequest.newBuilder()
                .setConversationId(group).setClientMessageId(UUID.nameUUIDFromBytes(text.getBytes()).toString())
                .setText(text).build()).getMessage();
    }

    private static SignUpResponse signUp(ServerProcess server, String username) {
        return AuthServiceGrpc.newBlockingStub(server.channel()).signUp(SignUpRequest.newBuilder()
                .setUsername(username).setEmail(username + "@example.com").setPassword(username + "'s passphrase")
                .build());
    }

    private static String token(SignUpResponse signedUp) {
        return signedUp.getTokens().getAccessToken();
    }
}
