package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.DeactivateUserRequest;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.RevokeSessionRequest;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.GrpcWebClient;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every way a stream can end frees what it held: afterwards the node counts no stream and no feed. */
@QuarkusTest
@TestProfile(QuickStreams.class)
class StreamReleaseTest {

    private static final int ROUNDS = 8;

    @Inject
    StreamHub hub;

    @Test
    void streamsEndedInEveryWayLeaveNothingBehind() throws Exception {
        var owner = TestUsers.signUp("relowner");
        var group = Chats.group(owner);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams() == 0 && hub.feedCount() == 0);
        for (int round = 0; round < ROUNDS; round++) {
            var user = TestUsers.signUp("rel");
            Chats.add(owner, group, user);

            try (var cancelled = StreamClient.open(user, Map.of())) { // client cancel
                cancelled.awaitReady();
            }

            ManagedChannel dropped = Api.channel("localhost", Api.GRPC_PORT); // disconnect without a goodbye
            var lost = StreamClient.open(dropped, user.tokens().getAccessToken(), Map.of(), true);
            lost.awaitReady();
            dropped.shutdownNow();

            Iterator<StreamEventsResponse> timed = Api.withToken(EventServiceGrpc.newBlockingStub(Api.channel()),
                    user.tokens().getAccessToken()).withDeadlineAfter(700, TimeUnit.MILLISECONDS)
                    .streamEvents(StreamEventsRequest.getDefaultInstance()); // deadline
            try {
                while (timed.hasNext()) {
                    timed.next();
                }
            } catch (StatusRuntimeException expected) {
                assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            }

            var loggedOut = StreamClient.open(user, Map.of()); // log-out
            loggedOut.awaitReady();
            var device = logIn(user);
            var revoked = StreamClient.open(Api.channel(), device, Map.of(), true); // revocation from elsewhere
            revoked.awaitReady();
            user.auth().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionOf(device)).build());
            var revokedFailure = revoked.awaitFailure();
            assertThat(revokedFailure.getStatus().getCode()).as(revokedFailure.getStatus().toString())
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            user.auth().logOut(LogOutRequest.getDefaultInstance());
            var loggedOutFailure = loggedOut.awaitFailure();
            assertThat(loggedOutFailure.getStatus().getCode()).as(loggedOutFailure.getStatus().toString())
                    .isEqualTo(Status.Code.UNAUTHENTICATED);

            var other = TestUsers.signUp("reldeact"); // deactivation
            Chats.add(owner, group, other);
            var deactivated = StreamClient.open(other, Map.of());
            deactivated.awaitReady();
            TestUsers.administrator().users().deactivateUser(DeactivateUserRequest.newBuilder()
                    .setUserId(other.id()).build());
            assertThat(deactivated.awaitFailure().getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(hub.openStreams()).as("open streams").isZero();
            assertThat(hub.feedCount()).as("conversation feeds").isZero();
        });
    }

    @Test
    void browserStreamsEndedInEveryWayLeaveNothingBehind() throws Exception {
        var owner = TestUsers.signUp("webrelowner");
        var group = Chats.group(owner);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams() == 0 && hub.feedCount() == 0);
        for (int round = 0; round < ROUNDS; round++) {
            var user = TestUsers.signUp("webrel");
            Chats.add(owner, group, user);
            var bearer = Map.of("authorization", "Bearer " + user.tokens().getAccessToken());

            for (var client : java.util.List.of(GrpcWebClient.binary(), GrpcWebClient.text())) { // tab closed
                try (var closed = client.open(STREAM, StreamEventsRequest.getDefaultInstance(), bearer)) {
                    awaitReady(closed);
                }
            }

            var timedHeaders = new java.util.HashMap<>(bearer); // grpc-timeout
            timedHeaders.put("grpc-timeout", "500m");
            assertThat(GrpcWebClient.binary().call(STREAM, StreamEventsRequest.getDefaultInstance(), timedHeaders)
                    .status()).isEqualTo("4");

            try (var loggedOut = GrpcWebClient.binary().open(STREAM, StreamEventsRequest.getDefaultInstance(), bearer)) {
                awaitReady(loggedOut); // log-out
                user.auth().logOut(LogOutRequest.getDefaultInstance());
                assertThat(loggedOut.readAll().status()).isEqualTo("16");
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(hub.openStreams()).as("open streams").isZero();
            assertThat(hub.feedCount()).as("conversation feeds").isZero();
        });
    }

    private static final String STREAM = "parley.v1.EventService/StreamEvents";

    private static void awaitReady(GrpcWebClient.Call call) throws Exception {
        while (true) {
            var frame = call.next();
            assertThat(frame).isNotNull();
            assertThat(frame.trailers()).as("the stream ended before it was ready").isNull();
            if (StreamEventsResponse.parseFrom(frame.message()).hasReady()) {
                return;
            }
        }
    }

    private static String logIn(TestUsers.TestUser user) {
        return Api.auth().logIn(LogInRequest.newBuilder().setLogin(user.username()).setPassword(user.password())
                .build()).getTokens().getAccessToken();
    }

    private static String sessionOf(String accessToken) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        return payload.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    }
}
