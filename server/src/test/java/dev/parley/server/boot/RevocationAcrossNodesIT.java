package dev.parley.server.boot;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.DeactivateUserRequest;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.RevokeBotTokensRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.OwnRedis;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TwoNodes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share PostgreSQL and a Redis of their own ({@link TwoNodes}), which the test freezes (SIGSTOP) for 10 s while node
 * A logs a session out, deactivates an account and revokes a bot's tokens; whatever the bus does with those
 * notices meanwhile, within 5 s of Redis thawing the three streams open on node B have ended SESSION_REVOKED and
 * their tokens are refused there.
 */
class RevocationAcrossNodesIT {

    private static final Duration FROZEN = Duration.ofSeconds(10);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void revocationsMadeWhileTheBusIsFrozenReachTheOtherNode() throws Exception {
        TwoNodes cluster = TwoNodes.shared();
        revokeWhileFrozen(cluster.redis, cluster.a.channel(), cluster.b.channel());
    }

    private static void revokeWhileFrozen(OwnRedis redis, ManagedChannel a, ManagedChannel b) throws Exception {
        String administrator = signUp(a, "adele").getTokens().getAccessToken(); // PARLEY_ADMIN_USERNAME
        SignUpResponse leaving = signUp(a, "carla");
        SignUpResponse deactivated = signUp(a, "bert");
        var bot = Api.withToken(BotServiceGrpc.newBlockingStub(a), administrator)
                .createBot(CreateBotRequest.newBuilder().setUsername("frozenbot").build());
        Map<String, String> tokens = new LinkedHashMap<>(Map.of(
                "logged out", leaving.getTokens().getAccessToken(),
                "deactivated", deactivated.getTokens().getAccessToken(),
                "bot", bot.getToken()));
        // A new bot token reaches the other node by its notice or, at the latest, by the next check of new tokens
        // (PARLEY_AUTH_REVOCATION_CHECK_INTERVAL, 2 s): the streams open once B knows it, as a bot would retry.
        var botOnB = Api.withToken(UserServiceGrpc.newBlockingStub(b), bot.getToken());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> botOnB.getMe(GetMeRequest.getDefaultInstance()) != null);
        Map<String, StreamClient> streams = new LinkedHashMap<>();
        tokens.forEach((who, token) -> streams.put(who, StreamClient.open(b, token, Map.of(), true)));
        try {
            for (StreamClient stream : streams.values()) {
                stream.awaitReady();
            }
            redis.freeze();
            long frozenAt = System.nanoTime();
            Api.withToken(AuthServiceGrpc.newBlockingStub(a), tokens.get("logged out")).withDeadlineAfter(5,
                    TimeUnit.SECONDS).logOut(LogOutRequest.getDefaultInstance());
            Api.withToken(UserServiceGrpc.newBlockingStub(a), administrator).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .deactivateUser(DeactivateUserRequest.newBuilder().setUserId(deactivated.getUser().getId()).build());
            Api.withToken(BotServiceGrpc.newBlockingStub(a), administrator).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .revokeBotTokens(RevokeBotTokensRequest.newBuilder().setBotId(bot.getBot().getUser().getId())
                            .build());
            Thread.sleep(Math.max(0, FROZEN.toMillis() - Duration.ofNanos(System.nanoTime() - frozenAt).toMillis()));
            redis.thaw();
            long thawedAt = System.nanoTime();

            for (var entry : streams.entrySet()) {
                var failure = entry.getValue().awaitFailure();
                assertThat(failure.getStatus().getCode()).as(entry.getKey()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(Errors.reason(failure)).as(entry.getKey()).isEqualTo("SESSION_REVOKED");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - thawedAt)).isLessThan(WITHIN);
            for (var entry : tokens.entrySet()) {
                assertFails(Status.Code.UNAUTHENTICATED, () -> Api.withToken(UserServiceGrpc.newBlockingStub(b),
                        entry.getValue()).getMe(GetMeRequest.getDefaultInstance()));
            }
        } finally {
            streams.values().forEach(StreamClient::close);
        }
    }

    private static SignUpResponse signUp(ManagedChannel channel, String username) {
        return AuthServiceGrpc.newBlockingStub(channel).signUp(SignUpRequest.newBuilder().setUsername(username)
                .setEmail(username + "@example.com").setPassword(username + "'s passphrase").build());
    }
}
