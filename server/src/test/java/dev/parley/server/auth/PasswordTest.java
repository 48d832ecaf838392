package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ChangePasswordRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.ResetPasswordRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PasswordTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("^\\s{4}(\\S{43})$", Pattern.MULTILINE);

    @Test
    void aForgottenPasswordIsResetWithTheMailedTokenAndEverySessionEnds() throws Exception {
        var vera = TestUsers.signUp("vera");
        Api.auth().requestPasswordReset(RequestPasswordResetRequest.newBuilder()
                .setEmail(vera.user().getEmail().toUpperCase()).build());
        String token = mailedToken(vera.user().getEmail());

        Api.auth().resetPassword(ResetPasswordRequest.newBuilder().setResetToken(token)
                .setNewPassword("a brand new passphrase").build());

        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED",
                () -> SessionsTest.getMe(vera.tokens().getAccessToken()));
        assertFails(Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS", () -> logIn(vera.username(), vera.password()));
        assertThat(logIn(vera.username(), "a brand new passphrase")).isEqualTo(vera.id());
        var reused = assertFails(Status.Code.INVALID_ARGUMENT, "RESET_TOKEN_INVALID", () -> Api.auth().resetPassword(
                ResetPasswordRequest.newBuilder().setResetToken(token).setNewPassword("yet another passphrase").build()));
        assertThat(Errors.badFields(reused)).containsExactly("reset_token");
    }

    @Test
    void askingForAResetOfAnUnknownAddressAnswersTheSameAndSendsNothing() throws Exception {
        String nobody = TestUsers.uniqueName("nobody") + "@example.com";
        Api.auth().requestPasswordReset(RequestPasswordResetRequest.newBuilder().setEmail(nobody).build());
        assertThat(mailCount(nobody)).isZero();
        assertFails(Status.Code.INVALID_ARGUMENT, () -> Api.auth().requestPasswordReset(
                RequestPasswordResetRequest.newBuilder().setEmail("not an address").build()));
    }

    @Test
    void aResetNeedsAValidNewPasswordAndAKnownToken() {
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Api.auth().resetPassword(
                ResetPasswordRequest.newBuilder().setResetToken("").setNewPassword("short").build()));
        assertThat(Errors.badFields(failure)).containsExactly("reset_token", "new_password");
        assertFails(Status.Code.INVALID_ARGUMENT, "RESET_TOKEN_INVALID", () -> Api.auth().resetPassword(
                ResetPasswordRequest.newBuilder().setResetToken("x".repeat(43)).setNewPassword("long enough now")
                        .build()));
    }

    @Test
    void changingThePasswordKeepsThisSessionAndEndsTheOthers() {
        var walt = TestUsers.signUp("walt");
        var laptop = Api.auth().logIn(LogInRequest.newBuilder().setLogin(walt.username())
                .setPassword(walt.password()).build()).getTokens();

        walt.auth().changePassword(ChangePasswordRequest.newBuilder().setCurrentPassword(walt.password())
                .setNewPassword("changed passphrase").build());

        assertThat(SessionsTest.getMe(walt.tokens().getAccessToken())).isEqualTo(walt.id());
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> SessionsTest.getMe(laptop.getAccessToken()));
        assertThat(logIn(walt.username(), "changed passphrase")).isEqualTo(walt.id());
    }

    @Test
    void changingThePasswordNeedsTheCurrentOne() {
        var xena = TestUsers.signUp("xena");
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_CREDENTIALS", () -> xena.auth()
                .changePassword(ChangePasswordRequest.newBuilder().setCurrentPassword("wrong password")
                        .setNewPassword("changed passphrase").build()));
        assertThat(Errors.badFields(failure)).containsExactly("current_password");
        assertThat(logIn(xena.username(), xena.password())).isEqualTo(xena.id());
    }

    private static String logIn(String login, String password) {
        return Api.from(Api.auth(), Api.freshAddress()).logIn(LogInRequest.newBuilder().setLogin(login)
                .setPassword(password).build()).getUser().getId();
    }

    private static String mailedToken(String email) throws Exception {
        try (Connection connection = TestServices.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select body from mail_outbox where recipient = ? order by id desc limit 1")) {
            query.setString(1, email);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("a reset message to " + email).isTrue();
                Matcher token = TOKEN_LINE.matcher(row.getString(1));
                assertThat(token.find()).as("a token in the message").isTrue();
                return token.group(1);
            }
        }
    }

    private static int mailCount(String email) throws Exception {
        try (Connection connection = TestServices.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from mail_outbox where lower(recipient) = lower(?)")) {
            query.setString(1, email);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
