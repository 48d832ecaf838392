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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    void aStreamOpensWithThePresenceOfThoseWhoAreNotOffline() throws Exception {
        var gil = TestUsers.signUp("pgil");
        var hal = TestUsers.signUp("phal");
        var ivy = TestUsers.signUp("pivy");
        Chats.group(gil, hal, ivy);
        try (var gils = StreamClient.open(gil, Map.of())) {
            gils.awaitReady();
            presence(gil).getPresenceServiceBlockingStub().setPresence(SetPresenceRequest.newBuilder()
                    .setState(PresenceState.PRESENCE_STATE_DO_NOT_DISTURB).build());
            assertThat(gils.awaitPresence(gil.id(), PresenceState.PRESENCE_STATE_DO_NOT_DISTURB).getState())
                    .as("told of one's own change")
                    .isEqualTo(PresenceState.PRESENCE_STATE_DO_NOT_DISTURB);
            try (var hals = StreamClient.open(hal, Map.of())) {
                Map<String, PresenceState> snapshot = new HashMap<>();
                StreamEventsResponse item;
                while (!(item = hals.next(i -> i.hasReady() || i.hasPresenceChanges())).hasReady()) {
                    item.getPresenceChanges().getPresencesList().forEach(p -> snapshot.put(p.getUserId(), p.getState()));
                }
                assertThat(snapshot).containsEntry(gil.id(), PresenceState.PRESENCE_STATE_DO_NOT_DISTURB)
                        .as("nobody offline is listed").doesNotContainKey(ivy.id());
            }
        }
    }

    @Test
    void manyArrivalsReachAMemberInAFewItemsOnePerIntervalAtMost() throws Exception {
        var host = TestUsers.signUp("phost");
        List<TestUsers.TestUser> guests = IntStream.range(0, 20).mapToObj(i -> TestUsers.signUp("pguest" + i)).toList();
        Chats.group(host, guests.toArray(TestUsers.TestUser[]::new));
        try (var hosts = StreamClient.open(host, Map.of())) {
            hosts.awaitReady();
            long start = System.nanoTime();
            List<StreamClient> arrived = guests.parallelStream().map(g -> StreamClient.open(g, Map.of())).toList();
            try {
                Set<String> online = new HashSet<>();
                Set<String> guestIds = guests.stream().map(TestUsers.TestUser::id).collect(Collectors.toSet());
                int items = 0;
                while (!online.containsAll(guestIds)) { // the host's own presence may come among them: not a guest
                    var changes = hosts.next(StreamEventsResponse::hasPresenceChanges).getPresenceChanges();
                    items++;
                    changes.getPresencesList().stream().filter(p -> p.getState() == PresenceState.PRESENCE_STATE_ONLINE)
                            .forEach(p -> online.add(p.getUserId()));
                }
                long intervals = Duration.ofNanos(System.nanoTime() - start).toMillis() / 250;
                assertThat(online).containsAll(guests.stream().map(TestUsers.TestUser::id).toList());
                assertThat(items).as("one item per 250 ms interval at most, not one per arrival")
                        .isLessThanOrEqualTo((int) intervals + 2);
            } finally {
                arrived.forEach(StreamClient::close);
            }
        }
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
        return stream.nextPresenceOf(userId);
    }

    private static Stubs presence(TestUsers.TestUser user) {
        return new Stubs(Api.withToken(PresenceServiceGrpc.newBlockingStub(Api.channel()),
                user.tokens().getAccessToken()));
    }

    private record Stubs(PresenceServiceGrpc.PresenceServiceBlockingStub getPresenceServiceBlockingStub) {
    }
}
