package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UserRole;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.ManagedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PARLEY_ADMIN_USERNAME names the administrator: the first account to sign up is then an ordinary member, the
 * named one administers from its sign-up; naming an account that exists makes it administrator at the next start.
 */
class NamedAdministratorIT {

    private static final String DATABASE = "parley_it_admin";

    @Test
    void theNamedAccountAdministersAndTheFirstOneNeedNot() throws Exception {
        TestServices.dropDatabase(DATABASE);
        String database = "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE;
        try (ServerProcess server = ServerProcess.start("admin-named", Map.of("PARLEY_DATABASE_URL", database,
                "PARLEY_ADMIN_USERNAME", "Boss"))) {
            server.awaitServing();
            assertThat(signUp(server.channel(), "early")).isEqualTo(UserRole.USER_ROLE_MEMBER);
            assertThat(signUp(server.channel(), "boss")).isEqualTo(UserRole.USER_ROLE_ADMINISTRATOR);
            assertThat(server.output()).contains("Administrator: boss (PARLEY_ADMIN_USERNAME), once an account");
        }
        try (ServerProcess server = ServerProcess.start("admin-renamed", Map.of("PARLEY_DATABASE_URL", database,
                "PARLEY_ADMIN_USERNAME", "early"))) {
            server.awaitServing();
            assertThat(roleOf(server.channel(), "early")).isEqualTo(UserRole.USER_ROLE_ADMINISTRATOR);
            assertThat(roleOf(server.channel(), "boss")).as("naming another demotes nobody")
                    .isEqualTo(UserRole.USER_ROLE_ADMINISTRATOR);
            assertThat(server.output()).contains("Administrator: early (PARLEY_ADMIN_USERNAME)");
        }
    }

    private static UserRole signUp(ManagedChannel channel, String username) {
        String token = AuthServiceGrpc.newBlockingStub(channel).signUp(SignUpRequest.newBuilder()
                .setUsername(username).setEmail(username + "@example.com").setPassword(username + "'s passphrase")
                .build()).getTokens().getAccessToken();
        return me(channel, token);
    }

    private static UserRole roleOf(ManagedChannel channel, String username) {
        String token = AuthServiceGrpc.newBlockingStub(channel).logIn(LogInRequest.newBuilder().setLogin(username)
                .setPassword(username + "'s passphrase").build()).getTokens().getAccessToken();
        return me(channel, token);
    }

    private static UserRole me(ManagedChannel channel, String token) {
        return Api.withToken(UserServiceGrpc.newBlockingStub(channel), token).getMe(GetMeRequest.getDefaultInstance())
                .getUser().getRole();
    }
}
