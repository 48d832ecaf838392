package dev.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TwoNodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An account that writes through two nodes at once gets what one bucket allows, not twice that: creating
 * conversations limited to 1 a second in bursts of 10 ({@link TwoNodes}), a 10-second window allows 20 in all;
 * flooding both nodes for 6 s inside one window, each node alone would let about 32 through.
 */
class ClusterWideLimitsIT {

    @Test
    void twoNodesTogetherLetThroughWhatOneBucketAllows() throws Exception {
        TwoNodes cluster = TwoNodes.shared();
        String token = AuthServiceGrpc.newBlockingStub(cluster.a.channel()).signUp(SignUpRequest.newBuilder()
                .setUsername("spreader").setEmail("spreader@example.com").setPassword("spreader's passphrase")
                .build()).getTokens().getAccessToken();
        var both = List.of(Api.withToken(ConversationServiceGrpc.newBlockingStub(cluster.a.channel()), token),
                Api.withToken(ConversationServiceGrpc.newBlockingStub(cluster.b.channel()), token));
        while (System.currentTimeMillis() % 10_000 > 300) {
            Thread.sleep(20); // start at the beginning of a 10-second window, so the flood stays inside it
        }
        long end = System.nanoTime() + 6_000_000_000L;
        int passed = 0;
        int attempt = 0;
        while (System.nanoTime() < end) {
            try {
                both.get(attempt++ % 2).createGroupConversation(CreateGroupConversationRequest.newBuilder()
                        .setTitle("spread " + attempt).build());
                passed++;
            } catch (StatusRuntimeException refused) {
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(Errors.reason(refused)).isEqualTo("RATE_LIMITED");
            }
            Thread.sleep(2);
        }
        assertThat(passed).as("conversations both nodes together let the account create").isBetween(18, 25);
    }
}
