package dev.parley.server.boot;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two nodes sharing PostgreSQL and Redis behave as one server. */
class ClusteredModeIT {

    private static final String DATABASE = "parley_it_cluster";

    @Test
    void nodesShareSigningKeysRevocationsAndThrottling() throws Exception {
        recreateDatabase();
        Map<String, String> cluster = Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_REDIS_URL", "redis://127.0.0.1:6379",
                "PARLEY_REDIS_KEY_PREFIX", "parley-it-" + UUID.randomUUID() + ":");
        try (ServerProcess a = ServerProcess.start("node-a", cluster);
                ServerProcess b = ServerProcess.start("node-b", cluster)) {
            a.awaitServing();
            b.awaitServing();
            assertThat(a.output()).contains("Clustered mode");

            var signedUp = AuthServiceGrpc.newBlockingStub(a.channel()).signUp(SignUpRequest.newBuilder()
                    .setUsername("wanda").setEmail("wanda@example.com").setPassword("wanda's passphrase").build());
            String token = signedUp.getTokens().getAccessToken();
            var onB = Api.withToken(UserServiceGrpc.newBlockingStub(b.channel()), token);
            assertThat(onB.getMe(GetMeRequest.getDefaultInstance()).getUser().getUsername()).isEqualTo("wanda");

            Api.withToken(AuthServiceGrpc.newBlockingStub(a.channel()), token).logOut(LogOutRequest.getDefaultInstance());
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertFails(Status.Code.UNAUTHENTICATED,
                    "SESSION_REVOKED", () -> onB.getMe(GetMeRequest.getDefaultInstance())));

            var authA = AuthServiceGrpc.newBlockingStub(a.channel());
            for (int attempt = 0; attempt < 10; attempt++) {
                assertFails(Status.Code.UNAUTHENTICATED, () -> authA.logIn(LogInRequest.newBuilder()
                        .setLogin("wanda").setPassword("wrong password").build()));
            }
            assertFails(Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED", () -> AuthServiceGrpc
                    .newBlockingStub(b.channel()).logIn(LogInRequest.newBuilder().setLogin("wanda")
                            .setPassword("wanda's passphrase").build()));
        }
    }

    private static void recreateDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + TestServices.HOST + ":5432/postgres", "postgres", "")) {
            connection.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
            connection.createStatement().execute("drop database if exists parley_it_startup with (force)");
        }
    }
}
