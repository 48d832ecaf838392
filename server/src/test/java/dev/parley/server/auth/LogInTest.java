package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.DeactivateUserRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.ReactivateUserRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogInTest {

    @Test
    void peopleLogInWithTheirUsernameInAnyCaseOrTheirEmail() {
        var dana = TestUsers.signUp("dana");
        var auth = Api.from(Api.auth(), freshAddress());

        var byName = auth.logIn(login(dana.username().toUpperCase(), dana.password()));
        var byEmail = auth.logIn(login(dana.user().getEmail(), dana.password()));

        assertThat(byName.getUser().getId()).isEqualTo(dana.id());
        assertThat(byEmail.getUser().getId()).isEqualTo(dana.id());
        assertThat(byName.getTokens().getSessionId()).isNotEqualTo(byEmail.getTokens().getSessionId());
    }

    @Test
    void aWrongPasswordAndAnUnknownLoginGetTheSameAnswer() {
        var erin = TestUsers.signUp("erin");
        var auth = Api.from(Api.auth(), freshAddress());

        var wrong = assertFails(Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS",
                () -> auth.logIn(login(erin.username(), "not the password")));
        var unknown = assertFails(Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS",
                () -> auth.logIn(login("nobody-" + erin.username(), "not the password")));
        assertThat(wrong.getStatus().getDescription()).isEqualTo(unknown.getStatus().getDescription());
    }

    @Test
    void failedLogInsAreThrottledPerAccountWithRetryInfo() {
        var frank = TestUsers.signUp("frank");
        for (int attempt = 0; attempt < 10; attempt++) {
            var auth = Api.from(Api.auth(), freshAddress()); // a botnet: every guess from elsewhere
            String guess = "guess " + attempt;
            assertFails(Status.Code.UNAUTHENTICATED, () -> auth.logIn(login(frank.username(), guess)));
        }

        var throttled = assertFails(Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED",
                () -> Api.from(Api.auth(), freshAddress()).logIn(login(frank.username(), frank.password())));
        assertThat(Errors.retryDelay(throttled)).hasValueSatisfying(delay ->
                assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    }

    @Test
    void failedLogInsAreThrottledPerClientAddress() {
        var auth = Api.from(Api.auth(), freshAddress());
        for (int attempt = 0; attempt < 10; attempt++) {
            String someone = "someone-" + attempt + "-" + TestUsers.uniqueName("x");
            assertFails(Status.Code.UNAUTHENTICATED, () -> auth.logIn(login(someone, "guess")));
        }
        var grace = TestUsers.signUp("grace");

        var throttled = assertFails(Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED",
                () -> auth.logIn(login(grace.username(), grace.password())));
        assertThat(Errors.retryDelay(throttled)).isPresent();
        // The same person from elsewhere is not affected.
        assertThat(Api.from(Api.auth(), freshAddress()).logIn(login(grace.username(), grace.password()))
                .getUser().getId()).isEqualTo(grace.id());
    }

    @Test
    void deactivatedAccountsCannotLogInUntilReactivated() {
        var admin = TestUsers.administrator();
        var hank = TestUsers.signUp("hank");
        admin.users().deactivateUser(DeactivateUserRequest.newBuilder().setUserId(hank.id()).build());

        assertFails(Status.Code.PERMISSION_DENIED, "ACCOUNT_DEACTIVATED",
                () -> Api.from(Api.auth(), freshAddress()).logIn(login(hank.username(), hank.password())));

        admin.users().reactivateUser(ReactivateUserRequest.newBuilder().setUserId(hank.id()).build());
        assertThat(Api.from(Api.auth(), freshAddress()).logIn(login(hank.username(), hank.password()))
                .getUser().getId()).isEqualTo(hank.id());
    }

    @Test
    void missingLoginFieldsAreNamed() {
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Api.auth().logIn(LogInRequest.getDefaultInstance()));
        assertThat(Errors.badFields(failure)).containsExactly("login", "password");
    }

    static LogInRequest login(String login, String password) {
        return LogInRequest.newBuilder().setLogin(login).setPassword(password).setDeviceName("log-in test").build();
    }

    static String freshAddress() {
        return Api.freshAddress();
    }
}
