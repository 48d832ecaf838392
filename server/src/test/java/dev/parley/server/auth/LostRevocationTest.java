package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A revocation whose bus notice never came (committed straight into PostgreSQL, as when the notice is lost) still
 * ends the session's open stream and refuses its token within the revocation check's interval (2 s): for a
 * person's session and for a bot's token.
 */
@QuarkusTest
class LostRevocationTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void aSessionRevokedBehindTheBussBackEndsItsStreamAndItsToken() throws Exception {
        var ines = TestUsers.signUp("lostrev");
        try (var stream = StreamClient.open(ines, Map.of())) {
            stream.awaitReady();
            revokeSilently("update sessions set revoked_at = now(), revoke_reason = 'test' "
                    + "where account_id = ? and revoked_at is null", ines.id());
            assertEndsRevoked(stream);
        }
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED", () -> users(ines.tokens().getAccessToken())
                .getMe(GetMeRequest.getDefaultInstance()));
    }

    @Test
    void aBotTokenRevokedBehindTheBussBackEndsItsStreamAndStopsWorking() throws Exception {
        var owner = TestUsers.signUp("lostbotowner");
        var bot = Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), owner.tokens().getAccessToken())
                .createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("lostbot")).build());
        try (var stream = StreamClient.open(Api.channel(), bot.getToken(), Map.of(), true)) {
            stream.awaitReady();
            revokeSilently("update bot_tokens set revoked_at = now() where bot_id = ?", bot.getBot().getUser().getId());
            assertEndsRevoked(stream);
        }
        assertFails(Status.Code.UNAUTHENTICATED, () -> users(bot.getToken()).getMe(GetMeRequest.getDefaultInstance()));
    }

    private static void assertEndsRevoked(StreamClient stream) throws Exception {
        long start = System.nanoTime();
        var failure = stream.awaitFailure();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WITHIN);
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Errors.reason(failure)).isEqualTo("SESSION_REVOKED");
    }

    private static void revokeSilently(String sql, String accountId) throws Exception {
        try (Connection connection = TestServices.connect(); PreparedStatement update = connection.prepareStatement(sql)) {
            update.setObject(1, UUID.fromString(accountId));
            assertThat(update.executeUpdate()).isPositive();
        }
    }

    private static UserServiceGrpc.UserServiceBlockingStub users(String token) {
        return Api.withToken(UserServiceGrpc.newBlockingStub(Api.channel()), token);
    }
}
