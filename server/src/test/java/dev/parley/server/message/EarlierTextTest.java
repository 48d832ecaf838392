package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.EditMessageRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.SetBotWebhookRequest;
import dev.parley.api.v1.User;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Once a message is edited or deleted, its earlier text is gone from everywhere the server kept it. */
@QuarkusTest
class EarlierTextTest {

    @Inject
    EntityManager entities;

    @Test
    void afterEditsNeitherAReplayFromTheStartNorHistoryHoldsAnEarlierText() throws Exception {
        var ava = TestUsers.signUp("editava");
        var ben = TestUsers.signUp("editben");
        var group = Chats.group(ava, ben);
        var sent = Chats.send(ava, group, "first draft: the code word is aubergine");
        for (String text : List.of("second draft: the code word is zeppelin", "final: ask me for the code")) {
            ava.messages().editMessage(EditMessageRequest.newBuilder().setMessageId(sent.getId()).setText(text)
                    .build());
        }

        assertThat(ben.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                .build()).getMessagesList()).filteredOn(m -> m.getId().equals(sent.getId()))
                .extracting(m -> m.getText()).containsExactly("final: ask me for the code");
        try (var stream = StreamClient.open(ben, Map.of(group.getId(), 0L))) {
            String replay = stream.replayUntilReady().toString();
            assertThat(replay).contains("final: ask me for the code").doesNotContain("aubergine")
                    .doesNotContain("zeppelin");
        }
    }

    @Test
    void afterDeletionNoStoredWebhookPayloadHoldsTheText() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1); // never delivered: the payload stays queued for a retry
            exchange.close();
        });
        receiver.start();
        try {
            var owner = TestUsers.signUp("deleteowner");
            var bots = Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), owner.tokens().getAccessToken());
            User bot = bots.createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("deletebot"))
                    .build()).getBot().getUser();
            bots.setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId())
                    .setUrl("http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook").build());
            var direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                    .setUserId(bot.getId()).build()).getConversation();
            var sent = Chats.send(owner, direct, "my password is hunter2");
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);

            owner.messages().deleteMessage(DeleteMessageRequest.newBuilder().setMessageId(sent.getId()).build());

            List<?> payloads = QuarkusTransaction.requiringNew().call(() -> entities.createNativeQuery(
                    "select payload from webhook_deliveries where message_id = ?1")
                    .setParameter(1, UUID.fromString(sent.getId())).getResultList());
            assertThat(payloads).isNotEmpty().allSatisfy(p -> assertThat(p.toString()).doesNotContain("hunter2"));
            int before = calls.get();
            // retries come every 0.2 s in tests: none may come for a deleted message
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == before);
        } finally {
            receiver.stop(0);
        }
    }
}
