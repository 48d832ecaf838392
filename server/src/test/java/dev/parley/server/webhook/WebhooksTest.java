package dev.parley.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.SetBotWebhookRequest;
import dev.parley.api.v1.User;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bots' outgoing webhooks, delivered to a real HTTP receiver on this machine. */
@QuarkusTest
class WebhooksTest {

    record Received(String delivery, String timestamp, String signature, String body, int answeredWith) {
    }

    @Inject
    EntityManager entities;

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aReceiverThatFailsThenRecoversGetsOneSignedDeliveryAndItsReplyIsPosted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = startReceiver(body -> calls.incrementAndGet() <= 3 ? 500 : 200, "text/plain", "pong");
        var owner = TestUsers.signUp("hookowner");
        var bot = createBot(owner, "pingbot");
        String secret = bots(owner).setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId())
                .setUrl(url).build()).getSigningSecret();
        var direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(bot.getId()).build()).getConversation();
        Chats.send(owner, direct, "ping");

        await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(r -> r.answeredWith() == 200));
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> received.size() == 4);
        assertThat(received).extracting(Received::delivery).containsOnly(received.get(0).delivery());
        Received delivered = received.get(3);
        assertThat(delivered.body()).contains("\"type\":\"direct_message\"").contains("\"text\":\"ping\"");
        Instant now = Instant.now();
        assertThat(WebhookSignature.verify(secret, delivered.timestamp(), delivered.body(), delivered.signature(), now))
                .isTrue();
        assertThat(WebhookSignature.verify("not-the-secret", delivered.timestamp(), delivered.body(),
                delivered.signature(), now)).as("a wrong secret is detected").isFalse();
        assertThat(WebhookSignature.verify(secret, delivered.timestamp(), delivered.body().replace("ping", "pong"),
                delivered.signature(), now)).as("a changed body is detected").isFalse();
        assertThat(WebhookSignature.verify(secret, delivered.timestamp(), delivered.body(), delivered.signature(),
                now.plus(Duration.ofMinutes(10)))).as("a replayed old delivery is detected").isFalse();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(owner.messages().listMessages(
                ListMessagesRequest.newBuilder().setConversationId(direct.getId()).build()).getMessagesList())
                .filteredOn(m -> m.getAuthorId().equals(bot.getId())).extracting(m -> m.getText())
                .containsExactly("pong"));
    }

    @Test
    void mentionsOfABotInAGroupAreDeliveredAndOtherMessagesAreNot() throws Exception {
        String url = startReceiver(body -> 204, "text/plain", "");
        var owner = TestUsers.signUp("hookgroup");
        var bot = createBot(owner, "mentionbot");
        bots(owner).setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId()).setUrl(url).build());
        var group = Chats.group(owner);
        owner.conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(group.getId())
                .addUserIds(bot.getId()).build());
        Chats.send(owner, group, "nothing for the bot here");
        Chats.send(owner, group, "@" + bot.getUsername() + " what's the weather?");

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> received.size() == 1);
        assertThat(received.get(0).body()).contains("\"type\":\"mention\"").contains("what's the weather?");
    }

    @Test
    void aDeliveryFailingPastTheGiveUpTimeIsMarkedDead() throws Exception {
        String url = startReceiver(body -> 503, "text/plain", "");
        var owner = TestUsers.signUp("hookdead");
        var bot = createBot(owner, "deadbot");
        bots(owner).setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId()).setUrl(url).build());
        var direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(bot.getId()).build()).getConversation();
        Chats.send(owner, direct, "anyone there?");
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());

        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("update webhook_deliveries "
                + "set created_at = created_at - interval '25 hours' where bot_id = ?1")
                .setParameter(1, UUID.fromString(bot.getId())).executeUpdate());
        await().atMost(Duration.ofSeconds(10)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                ((Number) entities.createNativeQuery("select count(*) from webhook_deliveries where bot_id = ?1 "
                        + "and dead_at is not null and last_error = 'HTTP 503'")
                        .setParameter(1, UUID.fromString(bot.getId())).getSingleResult()).intValue() == 1));
        int attempts = received.size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == attempts);
    }

    private interface Answer {
        int status(String body);
    }

    private String startReceiver(Answer answer, String contentType, String reply) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.status(body);
            var headers = exchange.getRequestHeaders();
            received.add(new Received(headers.getFirst("x-parley-delivery"), headers.getFirst("x-parley-timestamp"),
                    headers.getFirst("x-parley-signature"), body, status));
            byte[] out = status == 200 ? reply.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("content-type", contentType);
            exchange.sendResponseHeaders(status, status == 204 || out.length == 0 ? -1 : out.length);
            if (out.length > 0 && status != 204) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook";
    }

    private static User createBot(TestUsers.TestUser owner, String prefix) {
        return bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName(prefix)).build())
                .getBot().getUser();
    }

    private static BotServiceGrpc.BotServiceBlockingStub bots(TestUsers.TestUser user) {
        return Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), user.tokens().getAccessToken());
    }
}
