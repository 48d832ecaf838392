package dev.parley.server.limits;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.ListConversationsRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.MarkReadRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SendTypingRequest;
import dev.parley.server.support.LowLimits;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Per-account write limits at their documented defaults (people: 2 messages a second in bursts of 30; bots: 20 in
 * bursts of 200), typing coalesced to one notice per 2 s, at most 10 streams per account and node, and a send
 * storm that leaves everyone else's calls answered.
 */
@QuarkusTest
@TestProfile(LowLimits.class)
class WriteRateLimitsTest {

    @Test
    void aBurstPassesAFloodIsRefusedWithTheWaitAndOthersWriteOn() throws Exception {
        var flooder = TestUsers.signUp("flooder");
        var bystander = TestUsers.signUp("bystander");
        var group = Chats.group(flooder, bystander);
        long start = System.nanoTime();
        int passed = 0;
        StatusRuntimeException refused = null;
        while (refused == null && passed < 200) {
            try {
                flooder.messages().sendMessage(send(group.getId(), "flood " + passed));
                passed++;
            } catch (StatusRuntimeException e) {
                refused = e;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(refused).as("a flood is refused").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Errors.reason(refused)).isEqualTo("RATE_LIMITED");
        assertThat(passed).as("the burst passes, and what refilled meanwhile").isBetween(30, 30 + (int) (2 * seconds) + 1);
        Duration wait = Errors.retryDelay(refused).orElseThrow();
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));

        Chats.send(bystander, group, "another account writes on");
        Thread.sleep(wait.toMillis() + 20);
        flooder.messages().sendMessage(send(group.getId(), "after the wait"));
    }

    @Test
    void botsHaveLimitsOfTheirOwn() {
        var owner = TestUsers.signUp("limitowner");
        var bot = Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), owner.tokens().getAccessToken())
                .createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("limitbot")).build());
        var direct = Chats.direct(owner, bot.getBot().getUser().getId());
        var asBot = Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()), bot.getToken());
        for (int i = 0; i < 150; i++) {
            asBot.sendMessage(send(direct, "bot line " + i)); // past a person's burst, within a bot's
        }
    }

    @Test
    void typingReachesOthersAtMostOnceInTwoSecondsHoweverOftenItIsSent() throws Exception {
        var typist = TestUsers.signUp("typist");
        var reader = TestUsers.signUp("reader");
        var group = Chats.group(typist, reader);
        var presence = Api.withToken(PresenceServiceGrpc.newBlockingStub(Api.channel()),
                typist.tokens().getAccessToken());
        try (var stream = StreamClient.open(reader, Map.of())) {
            stream.awaitReady();
            for (int i = 0; i < 8; i++) { // within the burst of 10
                presence.sendTyping(SendTypingRequest.newBuilder().setConversationId(group.getId()).build());
            }
            long typings = stream.drainFor(Duration.ofMillis(1500)).stream().filter(item -> item.hasTyping()).count();
            assertThat(typings).isEqualTo(1);
            Thread.sleep(600);
            presence.sendTyping(SendTypingRequest.newBuilder().setConversationId(group.getId()).build());
            assertThat(stream.next(item -> item.hasTyping()).getTyping().getUserId()).isEqualTo(typist.id());
        }
    }

    @Test
    void everyOtherWriteSharesALimitOfItsOwnSoReadMarkersCannotFlood() {
        var reader = TestUsers.signUp("marker");
        var group = Chats.group(reader);
        long sequence = Chats.send(reader, group, "to mark").getSequence();
        int passed = 0;
        StatusRuntimeException refused = null;
        while (refused == null && passed < 500) {
            try {
                reader.messages().markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                        .setUpToSequence(sequence).build());
                passed++;
            } catch (StatusRuntimeException e) {
                refused = e;
            }
        }
        assertThat(refused).as("a flood of read markers is refused").isNotNull();
        assertThat(Errors.reason(refused)).isEqualTo("RATE_LIMITED");
        assertThat(passed).as("a burst of 200 passes first").isGreaterThanOrEqualTo(200).isLessThan(500);
        Chats.send(reader, group, "messages have a bucket of their own"); // other kinds are unaffected
    }

    @Test
    void anAccountOpensAtMostTenStreamsOnANode() throws Exception {
        var reader = TestUsers.signUp("manystreams");
        List<StreamClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(StreamClient.open(reader, Map.of()));
                open.get(i).awaitReady();
            }
            try (var eleventh = StreamClient.open(reader, Map.of())) {
                var refused = eleventh.awaitFailure();
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(Errors.reason(refused)).isEqualTo("TOO_MANY_STREAMS");
            }
            open.remove(0).close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (var again = StreamClient.open(reader, Map.of())) {
                    again.awaitReady();
                }
            });
        } finally {
            open.forEach(StreamClient::close);
        }
    }

    @Test
    void aSendStormLeavesEveryoneElsesCallsAnswered() throws Exception {
        var owner = TestUsers.signUp("stormowner");
        List<TestUsers.TestUser> senders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            senders.add(TestUsers.signUp("stormer"));
        }
        var room = Chats.group(owner, senders.toArray(TestUsers.TestUser[]::new));
        var calm = TestUsers.signUp("calm");
        List<com.google.common.util.concurrent.ListenableFuture<?>> storm = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            for (var sender : senders) {
                storm.add(sender.messagesAsync().withDeadlineAfter(30, TimeUnit.SECONDS)
                        .sendMessage(send(room.getId(), "storm " + round)));
            }
        }
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            Api.from(Api.auth(), Api.freshAddress()).logIn(LogInRequest.newBuilder().setLogin(calm.username())
                    .setPassword(TestUsers.PASSWORD).build());
            calm.conversations().listConversations(ListConversationsRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("log-in and listing during the storm")
                    .isLessThan(Duration.ofSeconds(2));
        }
        for (var send : storm) {
            try {
                send.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(Status.fromThrowable(e.getCause()).getCode()).as("a storm send fails only by its limit")
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
        }
    }

    private static SendMessageRequest send(String conversationId, String text) {
        return SendMessageRequest.newBuilder().setConversationId(conversationId)
                .setClientMessageId(UUID.randomUUID().toString()).setText(text).build();
    }
}
