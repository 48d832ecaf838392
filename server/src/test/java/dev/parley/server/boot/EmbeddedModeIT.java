package dev.parley.server.boot;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.UserRole;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.ServerProcess;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup mode: no configuration at all, an embedded PostgreSQL whose data outlives the process. */
class EmbeddedModeIT {

    @TempDir
    Path data;

    @Test
    void withNothingConfiguredTheServerRunsAloneAndKeepsItsDataAcrossRestarts() throws Exception {
        Map<String, String> nothingButWhereToKeepData = Map.of("PARLEY_DATA_DIR", data.toString());
        SignUpResponse first;
        SignUpResponse second;
        try (ServerProcess server = ServerProcess.start("embedded", nothingButWhereToKeepData).awaitServing()) {
            assertThat(server.output()).contains("Single-node mode");
            var auth = AuthServiceGrpc.newBlockingStub(server.channel());
            first = auth.signUp(signUp("first"));
            second = auth.signUp(signUp("second"));
            assertThat(first.getUser().getRole()).isEqualTo(UserRole.USER_ROLE_ADMINISTRATOR);
            assertThat(second.getUser().getRole()).isEqualTo(UserRole.USER_ROLE_MEMBER);

            for (int attempt = 0; attempt < 10; attempt++) {
                assertFails(Status.Code.UNAUTHENTICATED, () -> auth.logIn(logIn("first", "wrong password")));
            }
            assertFails(Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED",
                    () -> auth.logIn(logIn("first", "first's passphrase")));

            Api.withToken(AuthServiceGrpc.newBlockingStub(server.channel()), second.getTokens().getAccessToken())
                    .logOut(LogOutRequest.getDefaultInstance());
            assertThat(server.stop()).isIn(0, 130, 143);
        }
        assertThat(data.resolve("postgres/PG_VERSION")).exists();

        try (ServerProcess server = ServerProcess.start("embedded-restarted", nothingButWhereToKeepData)
                .awaitServing()) {
            var users = UserServiceGrpc.newBlockingStub(server.channel());
            // Same signing key after the restart: the first session's token still works...
            assertThat(Api.withToken(users, first.getTokens().getAccessToken()).getMe(GetMeRequest.getDefaultInstance())
                    .getUser().getUsername()).isEqualTo("first");
            // ...and the session ended before the restart stays ended.
            assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> Api.withToken(users,
                    second.getTokens().getAccessToken()).getMe(GetMeRequest.getDefaultInstance()));
            assertThat(AuthServiceGrpc.newBlockingStub(server.channel()).logIn(logIn("second", "second's passphrase"))
                    .getUser().getId()).isEqualTo(second.getUser().getId());
            server.stop();
        }
    }

    private static SignUpRequest signUp(String name) {
        return SignUpRequest.newBuilder().setUsername(name).setEmail(name + "@example.com")
                .setPassword(name + "'s passphrase").build();
    }

    private static LogInRequest logIn(String name, String password) {
        return LogInRequest.newBuilder().setLogin(name).setPassword(password).build();
    }
}
