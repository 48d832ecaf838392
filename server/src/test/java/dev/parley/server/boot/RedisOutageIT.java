package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.OwnRedis;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TwoNodes;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis dies under two nodes ({@link TwoNodes}) while a writer on node A sends 20 messages: every send succeeds, A's own streams get
 * them live, LogIn works (throttled per node), A's health says it runs degraded; when Redis is back (empty, as a
 * restarted Redis is), node B's stream catches up from PostgreSQL within 2 s of its return. Both ledgers: all 20,
 * in order, none twice.
 */
class RedisOutageIT {

    private static final int MESSAGES = 20;

    @Test
    void aNodeWithoutRedisKeepsServingAndTheOthersCatchUpWhenItReturns() throws Exception {
        TwoNodes cluster = TwoNodes.shared();
        outage(cluster.redis, cluster.a, cluster.b);
    }

    private static void outage(OwnRedis redis, ServerProcess a, ServerProcess b) throws Exception {
        SignUpResponse writer = signUp(a.channel(), "writer");
        SignUpResponse nearby = signUp(a.channel(), "nearby");
        SignUpResponse faraway = signUp(a.channel(), "faraway");
        String group = Api.withToken(ConversationServiceGrpc.newBlockingStub(a.channel()), token(writer))
                .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("outage")
                        .addMemberIds(nearby.getUser().getId()).addMemberIds(faraway.getUser().getId()).build())
                .getConversation().getId();
        try (var onA = StreamClient.open(a.channel(), token(nearby), Map.of(), true);
                var onB = StreamClient.open(b.channel(), token(faraway), Map.of(), true)) {
            onA.awaitReady();
            onB.awaitReady();

            redis.stop();
            var messages = Api.withToken(MessageServiceGrpc.newBlockingStub(a.channel()), token(writer));
            for (int i = 0; i < MESSAGES; i++) {
                messages.withDeadlineAfter(5, TimeUnit.SECONDS).sendMessage(SendMessageRequest.newBuilder()
                        .setConversationId(group).setClientMessageId(UUID.randomUUID().toString())
                        .setText("while Redis is away " + i).build());
            }
            assertLedger(onA.events(MESSAGES), group);
            AuthServiceGrpc.newBlockingStub(a.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .logIn(LogInRequest.newBuilder().setLogin("nearby").setPassword("nearby's passphrase").build());
            assertThat(a.readiness().replaceAll("\\s", "")).contains("\"redis\":\"unreachable\"")
                    .contains("\"degraded\":true").startsWith("{\"status\":\"UP\"");

            redis.startAgain();
            long back = System.nanoTime();
            assertLedger(onB.events(MESSAGES), group);
            assertThat(Duration.ofNanos(System.nanoTime() - back)).as("node B caught up after Redis returned")
                    .isLessThan(Duration.ofSeconds(2));
        }
    }

    /** All the messages, in order, none twice, with nothing else in between. */
    private static void assertLedger(List<ConversationEvent> events, String group) {
        List<String> texts = new ArrayList<>();
        long previous = 0;
        for (ConversationEvent event : events) {
            assertThat(event.getConversationId()).isEqualTo(group);
            assertThat(event.getSequence()).isGreaterThan(previous);
            previous = event.getSequence();
            texts.add(event.getMessageSent().getText());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add("while Redis is away " + i);
        }
        assertThat(texts).containsExactlyElementsOf(expected);
    }

    private static SignUpResponse signUp(ManagedChannel channel, String username) {
        return AuthServiceGrpc.newBlockingStub(channel).signUp(SignUpRequest.newBuilder().setUsername(username)
                .setEmail(username + "@example.com").setPassword(username + "'s passphrase").build());
    }

    private static String token(SignUpResponse signedUp) {
        return signedUp.getTokens().getAccessToken();
    }
}
