package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.RefreshSessionRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ShortLivedTokens.class)
class TokenExpiryTest {

    @Test
    void anExpiredAccessTokenIsRefusedAndARefreshBringsANewOne() {
        var olga = TestUsers.signUp("olga");
        var asOlga = olga.users();
        assertThat(asOlga.getMe(GetMeRequest.getDefaultInstance()).getUser().getId()).isEqualTo(olga.id());

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_EXPIRED",
                        () -> asOlga.getMe(GetMeRequest.getDefaultInstance())));

        var renewed = Api.auth().refreshSession(RefreshSessionRequest.newBuilder()
                .setRefreshToken(olga.tokens().getRefreshToken()).build()).getTokens();
        assertThat(Api.withToken(Api.users(), renewed.getAccessToken()).getMe(GetMeRequest.getDefaultInstance())
                .getUser().getId()).isEqualTo(olga.id());
    }

}
