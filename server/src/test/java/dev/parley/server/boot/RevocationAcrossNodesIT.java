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
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestServices;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share PostgreSQL and a Redis of this test's own, which the test freezes (SIGSTOP) for 10 s while node
 * A logs a session out, deactivates an account and revokes a bot's tokens; whatever the bus does with those
 * notices meanwhile, within 5 s of Redis thawing the three streams open on node B have ended SESSION_REVOKED and
 * their tokens are refused there.
 */
class RevocationAcrossNodesIT {

    private static final String DATABASE = "parley_it_revocation";
    private static final Duration FROZEN = Duration.ofSeconds(10);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void revocationsMadeWhileTheBusIsFrozenReachTheOtherNode() throws Exception {
        TestServices.dropDatabase(DATABASE);
        int redisPort = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(redisPort);
            Map<String, String> cluster = Map.of(
                    "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                    "PARLEY_REDIS_URL", "redis://127.0.0.1:" + redisPort);
            try (ServerProcess a = ServerProcess.start("revoke-a", cluster);
                    ServerProcess b = ServerProcess.start("revoke-b", cluster)) {
                a.awaitServing();
                b.awaitServing();
                revokeWhileFrozen(redis, a.channel(), b.channel());
            }
        } finally {
            signal(redis, "CONT");
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void revokeWhileFrozen(Process redis, ManagedChannel a, ManagedChannel b) throws Exception {
        String administrator = signUp(a, "adele").getTokens().getAccessToken(); // the first account administers
        SignUpResponse leaving = signUp(a, "carla");
        SignUpResponse deactivated = signUp(a, "bert");
        var bot = Api.withToken(BotServiceGrpc.newBlockingStub(a), administrator)
                .createBot(CreateBotRequest.newBuilder().setUsername("frozenbot").build());
        Map<String, String> tokens = new LinkedHashMap<>(Map.of(
                "logged out", leaving.getTokens().getAccessToken(),
                "deactivated", deactivated.getTokens().getAccessToken(),
                "bot", bot.getToken()));
        Map<String, StreamClient> streams = new LinkedHashMap<>();
        tokens.forEach((who, token) -> streams.put(who, StreamClient.open(b, token, Map.of(), true)));
        try {
            for (StreamClient stream : streams.values()) {
                stream.awaitReady();
            }
            signal(redis, "STOP");
            long frozenAt = System.nanoTime();
            Api.withToken(AuthServiceGrpc.newBlockingStub(a), tokens.get("logged out")).withDeadlineAfter(5,
                    TimeUnit.SECONDS).logOut(LogOutRequest.getDefaultInstance());
            Api.withToken(UserServiceGrpc.newBlockingStub(a), administrator).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .deactivateUser(DeactivateUserRequest.newBuilder().setUserId(deactivated.getUser().getId()).build());
            Api.withToken(BotServiceGrpc.newBlockingStub(a), administrator).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .revokeBotTokens(RevokeBotTokensRequest.newBuilder().setBotId(bot.getBot().getUser().getId())
                            .build());
            Thread.sleep(Math.max(0, FROZEN.toMillis() - Duration.ofNanos(System.nanoTime() - frozenAt).toMillis()));
            signal(redis, "CONT");
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

    private static void signal(Process process, String signal) throws Exception {
        if (process.isAlive()) {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            assertThat(exit).as("kill -" + signal).isZero();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("redis-server listening on " + port).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
