package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static dev.parley.server.support.Errors.badFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UserRole;
import dev.parley.api.v1.UserState;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class SignUpTest {

    @Test
    void signingUpReturnsTheAccountAndASessionThatWorks() {
        var alice = TestUsers.signUp("alice");

        assertThat(alice.user().getRole()).isEqualTo(UserRole.USER_ROLE_MEMBER);
        assertThat(alice.user().getState()).isEqualTo(UserState.USER_STATE_ACTIVE);
        assertThat(alice.user().getEmail()).isEqualTo(alice.username() + "@example.com");
        assertThat(alice.tokens().getRefreshToken()).hasSize(43); // 256 bits, base64url
        var me = alice.users().getMe(GetMeRequest.getDefaultInstance()).getUser();
        assertThat(me.getId()).isEqualTo(alice.id());
        assertThat(me.getDisplayName()).isEqualTo("Test " + alice.username());
    }

    @Test
    void theFirstAccountIsTheAdministrator() {
        assertThat(TestUsers.administrator().user().getRole()).isEqualTo(UserRole.USER_ROLE_ADMINISTRATOR);
    }

    @Test
    void usernamesAreStoredInLowerCaseAndTheDisplayNameDefaultsToThem() {
        String name = TestUsers.uniqueName("MiXeD").toUpperCase();
        var user = Api.auth().signUp(valid(name).setDisplayName("").build()).getUser();
        assertThat(user.getUsername()).isEqualTo(name.toLowerCase());
        assertThat(user.getDisplayName()).isEqualTo(name.toLowerCase());
    }

    static Stream<Arguments> invalidSignUps() {
        return Stream.of(
                Arguments.of("username", valid("fine-name").setUsername("")),
                Arguments.of("username", valid("fine-name").setUsername("ab")),
                Arguments.of("username", valid("fine-name").setUsername("a".repeat(33))),
                Arguments.of("username", valid("fine-name").setUsername("al ice")),
                Arguments.of("username", valid("fine-name").setUsername("ali$e")),
                Arguments.of("username", valid("fine-name").setUsername("élodie")),
                Arguments.of("email", valid("fine-name").setEmail("")),
                Arguments.of("email", valid("fine-name").setEmail("no-at-sign")),
                Arguments.of("email", valid("fine-name").setEmail("a@nodot")),
                Arguments.of("email", valid("fine-name").setEmail("a b@example.com")),
                Arguments.of("email", valid("fine-name").setEmail("a".repeat(250) + "@example.com")),
                Arguments.of("display_name", valid("fine-name").setDisplayName("d".repeat(65))),
                Arguments.of("display_name", valid("fine-name").setDisplayName("bell\u0007")),
                Arguments.of("password", valid("fine-name").setPassword("")),
                Arguments.of("password", valid("fine-name").setPassword("123456789")),
                Arguments.of("password", valid("fine-name").setPassword("p".repeat(1025))),
                Arguments.of("device_name", valid("fine-name").setDeviceName("d".repeat(101))));
    }

    @ParameterizedTest
    @MethodSource("invalidSignUps")
    void everyBrokenRuleNamesItsFieldInBadRequest(String field, SignUpRequest.Builder request) {
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Api.auth().signUp(request.build()));
        assertThat(badFields(failure)).containsExactly(field);
        assertThat(failure.getStatus().getDescription()).startsWith(field + " ");
    }

    @Test
    void allBrokenRulesAreReportedTogether() {
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Api.auth().signUp(SignUpRequest.newBuilder()
                .setUsername("x").setEmail("bad").setPassword("short").build()));
        assertThat(badFields(failure)).containsExactly("username", "email", "password");
    }

    @Test
    void aUsernameTakenInAnotherLetterCaseIsAlreadyExists() {
        var bob = TestUsers.signUp("bob");
        String shouted = bob.username().toUpperCase();

        var failure = assertFails(Status.Code.ALREADY_EXISTS, "USERNAME_TAKEN",
                () -> Api.auth().signUp(valid(shouted).setEmail("other-" + bob.username() + "@example.com").build()));
        assertThat(Errors.errorInfo(failure).getMetadataMap()).containsEntry("field", "username");
    }

    @Test
    void anEmailTakenInAnotherLetterCaseIsAlreadyExists() {
        var carol = TestUsers.signUp("carol");
        assertFails(Status.Code.ALREADY_EXISTS, "EMAIL_TAKEN", () -> Api.auth().signUp(
                valid(TestUsers.uniqueName("carol2")).setEmail(carol.username().toUpperCase() + "@EXAMPLE.com")
                        .build()));
    }

    @Test
    void everyCharacterOfALongPasswordCounts() {
        String name = TestUsers.uniqueName("long");
        String password = "p".repeat(100) + "-the-end";
        Api.auth().signUp(valid(name).setPassword(password).build());

        // bcrypt would have stopped reading after 72 bytes and accepted this:
        assertFails(Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS", () -> Api.from(Api.auth(), Api.freshAddress()).logIn(
                LogInRequest.newBuilder().setLogin(name).setPassword("p".repeat(100) + "-the-END").build()));
        assertThat(Api.auth().logIn(LogInRequest.newBuilder().setLogin(name).setPassword(password).build())
                .getUser().getUsername()).isEqualTo(name);
    }

    static SignUpRequest.Builder valid(String username) {
        return SignUpRequest.newBuilder()
                .setUsername(username)
                .setEmail(username + "@example.com")
                .setDisplayName("Someone")
                .setPassword(TestUsers.PASSWORD);
    }
}
