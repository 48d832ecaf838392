package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.ListSessionsRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.RefreshSessionRequest;
import dev.parley.api.v1.RevokeSessionRequest;
import dev.parley.api.v1.Session;
import dev.parley.api.v1.SessionTokens;
import dev.parley.server.support.Api;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionsTest {

    @Test
    void refreshingRotatesTheRefreshTokenAndKeepsTheSession() {
        var pat = TestUsers.signUp("pat");

        SessionTokens renewed = refresh(pat.tokens().getRefreshToken());

        assertThat(renewed.getSessionId()).isEqualTo(pat.tokens().getSessionId());
        assertThat(renewed.getRefreshToken()).isNotEqualTo(pat.tokens().getRefreshToken());
        assertThat(renewed.getAccessToken()).isNotEqualTo(pat.tokens().getAccessToken());
        assertThat(getMe(renewed.getAccessToken())).isEqualTo(pat.id());
        assertThat(refresh(renewed.getRefreshToken()).getSessionId()).isEqualTo(pat.tokens().getSessionId());
    }

    @Test
    void presentingAUsedRefreshTokenEndsTheWholeSession() {
        var quinn = TestUsers.signUp("quinn");
        String stolen = quinn.tokens().getRefreshToken();
        SessionTokens legitimate = refresh(stolen);

        assertFails(Status.Code.UNAUTHENTICATED, "REFRESH_TOKEN_REUSED", () -> refresh(stolen));

        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> refresh(legitimate.getRefreshToken()));
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> getMe(legitimate.getAccessToken()));
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> getMe(quinn.tokens().getAccessToken()));
    }

    @Test
    void anUnknownRefreshTokenIsInvalid() {
        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> refresh("made-up-token"));
        assertFails(Status.Code.INVALID_ARGUMENT, () -> refresh(""));
    }

    @Test
    void loggingOutStopsTheAccessTokenAtOnce() {
        var rose = TestUsers.signUp("rose");
        assertThat(getMe(rose.tokens().getAccessToken())).isEqualTo(rose.id());

        rose.auth().logOut(LogOutRequest.getDefaultInstance());

        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> getMe(rose.tokens().getAccessToken()));
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> refresh(rose.tokens().getRefreshToken()));
    }

    @Test
    void peopleSeeTheirDevicesAndCanEndOne() {
        var sam = TestUsers.signUp("sam");
        var phone = Api.auth().logIn(LogInRequest.newBuilder().setLogin(sam.username()).setPassword(sam.password())
                .setDeviceName("phone").build()).getTokens();

        var sessions = sam.auth().listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList();
        assertThat(sessions).extracting(Session::getDeviceName).containsExactlyInAnyOrder("tests", "phone");
        assertThat(sessions).filteredOn(Session::getCurrent).extracting(Session::getId)
                .containsExactly(sam.tokens().getSessionId());

        sam.auth().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(phone.getSessionId()).build());

        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> getMe(phone.getAccessToken()));
        assertThat(getMe(sam.tokens().getAccessToken())).isEqualTo(sam.id());
        assertThat(sam.auth().listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList())
                .extracting(Session::getId).containsExactly(sam.tokens().getSessionId());
    }

    @Test
    void nobodyCanEndSomeoneElsesSession() {
        var tom = TestUsers.signUp("tom");
        var uma = TestUsers.signUp("uma");

        assertFails(Status.Code.NOT_FOUND, () -> uma.auth().revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId(tom.tokens().getSessionId()).build()));
        assertFails(Status.Code.NOT_FOUND, () -> uma.auth().revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString()).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, () -> uma.auth().revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId("not-an-id").build()));
        assertThat(getMe(tom.tokens().getAccessToken())).isEqualTo(tom.id());
    }

    static SessionTokens refresh(String refreshToken) {
        return Api.auth().refreshSession(RefreshSessionRequest.newBuilder().setRefreshToken(refreshToken).build())
                .getTokens();
    }

    static String getMe(String accessToken) {
        return Api.withToken(Api.users(), accessToken).getMe(GetMeRequest.getDefaultInstance()).getUser().getId();
    }
}
