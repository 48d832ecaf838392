package dev.parley.server.presence;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ArchiveConversationRequest;
import dev.parley.api.v1.GetPresenceRequest;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.PresenceState;
import dev.parley.api.v1.SendTypingRequest;
import dev.parley.api.v1.SetPresenceRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PresenceTest {

    @Test
    void peopleSeeEachOtherComeOnlineGoAwayAndGoOffline() throws Exception {
        var ada = TestUsers.signUp("pada");
        var bob = TestUsers.signUp("pbob");
        Chats.group(ada, bob);
        try (var bobs = StreamClient.open(bob, Map.of())) {
            bobs.awaitReady();
            try (var adas = StreamClient.open(ada, Map.of())) {
                adas.awaitReady();
                assertThat(presenceOf(bobs, ada.id()).getState()).isEqualTo(PresenceState.PRESENCE_STATE_ONLINE);
                assertThat(presence(bob).getPresenceServiceBlockingStub().getPresence(GetPresenceRequest.newBuilder()
                        .addUserIds(ada.id()).build()).getPresences(0).getState())
                        .isEqualTo(PresenceState.PRESENCE_STATE_ONLINE);

                presence(ada).getPresenceServiceBlockingStub().setPresence(SetPresenceRequest.newBuilder()
                        .setState(PresenceState.PRESENCE_STATE_AWAY).build());
                assertThat(presenceOf(bobs, ada.id()).getState()).isEqualTo(PresenceState.PRESENCE_STATE_AWAY);
            }
            Instant closed = Instant.now();
            Presence offline = presenceOf(bobs, ada.id());
            assertThat(offline.getState()).isEqualTo(PresenceState.PRESENCE_STATE_OFFLINE);
            assertThat(Duration.between(closed, Instant.now())).isLessThan(Duration.ofSeconds(30));
            var asked = presence(bob).getPresenceServiceBlockingStub().getPresence(GetPresenceRequest.newBuilder()
                    .addUserIds(ada.id()).build()).getPresences(0);
            assertThat(asked.getState()).isEqualTo(PresenceState.PRESENCE_STATE_OFFLINE);
            assertThat(asked.hasLastSeenTime()).isTrue();
        }
        assertFails(Status.Code.INVALID_ARGUMENT, () -> presence(ada).getPresenceServiceBlockingStub().setPresence(
                SetPresenceRequest.newBuilder().setState(PresenceState.PRESENCE_STATE_OFFLINE).build()));
    }

    @Test
    void typingReachesTheOtherMembersOnlyAndExpires() throws Exception {
        var cy = TestUsers.signUp("pcy");
        var di = TestUsers.signUp("pdi");
        var outsider = TestUsers.signUp("pout");
        var group = Chats.group(cy, di);
        try (var dis = StreamClient.open(di, Map.of()); var cys = StreamClient.open(cy, Map.of())) {
            dis.awaitReady();
            cys.awaitReady();
            presence(cy).getPresenceServiceBlockingStub().sendTyping(SendTypingRequest.newBuilder()
                    .setConversationId(group.getId()).build());
            var typing = dis.next(StreamEventsResponse::hasTyping).getTyping();
            assertThat(typing.getUserId()).isEqualTo(cy.id());
            long lifetime = typing.getExpireTime().getSeconds() - Instant.now().getEpochSecond();
            assertThat(lifetime).isBetween(4L, 7L);
            assertThat(cys.drainFor(Duration.ofMillis(500))).noneMatch(StreamEventsResponse::hasTyping);
        }
        assertFails(Status.Code.NOT_FOUND, () -> presence(outsider).getPresenceServiceBlockingStub().sendTyping(
                SendTypingRequest.newBuilder().setConversationId(group.getId()).build()));
        cy.conversations().archiveConversation(ArchiveConversationRequest.newBuilder().setConversationId(group.getId())
                .build());
        assertFails(Status.Code.FAILED_PRECONDITION, () -> presence(cy).getPresenceServiceBlockingStub().sendTyping(
                SendTypingRequest.newBuilder().setConversationId(group.getId()).build()));
    }

    private static Presence presenceOf(StreamClient stream, String userId) throws InterruptedException {
        return stream.next(item -> item.hasPresence() && item.getPresence().getUserId().equals(userId)).getPresence();
    }

    private static Stubs presence(TestUsers.TestUser user) {
        return new Stubs(Api.withToken(PresenceServiceGrpc.newBlockingStub(Api.channel()),
                user.tokens().getAccessToken()));
    }

    private record Stubs(PresenceServiceGrpc.PresenceServiceBlockingStub getPresenceServiceBlockingStub) {
    }
}
