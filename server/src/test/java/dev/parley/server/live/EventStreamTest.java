package dev.parley.server.live;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.*;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(QuickStreams.class)
class EventStreamTest {

    @Inject
    StreamHub hub;

    @Test
    void liveMessagesArriveInSequenceOrder() throws Exception {
        var ava = TestUsers.signUp("ava");
        var ben = TestUsers.signUp("ben");
        var group = Chats.group(ava, ben);
        try (var stream = StreamClient.open(ben, Map.of())) {
            stream.awaitReady();
            for (int i = 0; i < 5; i++) {
                Chats.send(ava, group, "live " + i);
            }
            List<ConversationEvent> events = stream.events(5);
            assertThat(events).extracting(e -> e.getMessageSent().getText())
                    .containsExactly("live 0", "live 1", "live 2", "live 3", "live 4");
            assertThat(events).extracting(ConversationEvent::getSequence).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aClientResumesFromItsPositionWithoutGapsOrDuplicates() throws Exception {
        var cat = TestUsers.signUp("cat");
        var dan = TestUsers.signUp("dan");
        var group = Chats.group(cat, dan);
        long position;
        try (var stream = StreamClient.open(dan, Map.of())) {
            stream.awaitReady();
            Chats.send(cat, group, "seen");
            position = stream.nextEvent().getSequence();
        }
        for (int i = 0; i < 5; i++) {
            Chats.send(cat, group, "missed " + i);
        }
        try (var stream = StreamClient.open(dan, Map.of(group.getId(), position))) {
            List<ConversationEvent> replay = stream.events(5);
            assertThat(replay).extracting(ConversationEvent::getSequence)
                    .containsExactly(position + 1, position + 2, position + 3, position + 4, position + 5);
            var ready = stream.awaitReady().getReady();
            assertThat(ready.getPositionsList()).contains(ConversationPosition.newBuilder()
                    .setConversationId(group.getId()).setSequence(position + 5).build());
            Chats.send(cat, group, "live again");
            assertThat(stream.nextEvent().getSequence()).isEqualTo(position + 6);
        }
    }

    @Test
    void removalStopsAConversationsEventsAtOnceAndAdditionStartsThem() throws Exception {
        var eve = TestUsers.signUp("eve");
        var fox = TestUsers.signUp("fox");
        var group = Chats.group(eve, fox);
        var other = Chats.group(eve);
        try (var stream = StreamClient.open(fox, Map.of())) {
            stream.awaitReady();
            eve.conversations().removeMember(RemoveMemberRequest.newBuilder().setConversationId(group.getId())
                    .setUserId(fox.id()).build());
            assertThat(stream.nextEvent().getMemberRemoved().getUserId()).isEqualTo(fox.id());
            assertThat(stream.next(StreamEventsResponse::hasConversationRemoved).getConversationRemoved()
                    .getConversationId()).isEqualTo(group.getId());
            Chats.send(eve, group, "not for fox");

            Chats.add(eve, other, fox);
            var added = stream.next(StreamEventsResponse::hasConversationAdded).getConversationAdded();
            assertThat(added.getConversation().getId()).isEqualTo(other.getId());
            assertThat(stream.nextEvent().getMemberJoined().getUserId()).isEqualTo(fox.id());
            Chats.send(eve, other, "for fox");
            ConversationEvent next = stream.nextEvent();
            assertThat(next.getMessageSent().getText()).isEqualTo("for fox");
        }
    }

    @Test
    void aDirectConversationStartedByAnotherAppearsWithThemAsTheOtherPerson() throws Exception {
        var ivy = TestUsers.signUp("ivy");
        var jon = TestUsers.signUp("jon");
        try (var stream = StreamClient.open(jon, Map.of())) {
            stream.awaitReady();
            ivy.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                    .setUserId(jon.id()).build());
            var added = stream.next(StreamEventsResponse::hasConversationAdded).getConversationAdded().getConversation();
            assertThat(added.getOtherUserId()).isEqualTo(ivy.id());
            assertThat(added.getMe().getRole()).isEqualTo(Role.ROLE_MEMBER);
            assertThat(added.hasArchiveTime()).isFalse();
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatsAndReadPositionsFromOtherDevices() throws Exception {
        var gia = TestUsers.signUp("gia");
        var group = Chats.group(gia);
        var sent = Chats.send(gia, group, "hello");
        try (var stream = StreamClient.open(gia, Map.of())) {
            stream.awaitReady();
            assertThat(stream.next(StreamEventsResponse::hasHeartbeat).getHeartbeat().hasTime()).isTrue();
            var phone = Api.auth().logIn(LogInRequest.newBuilder().setLogin(gia.username()).setPassword(gia.password())
                    .build()).getTokens();
            Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()), phone.getAccessToken())
                    .markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                            .setUpToSequence(sent.getSequence()).build());
            var moved = stream.next(StreamEventsResponse::hasReadPositionChanged).getReadPositionChanged();
            assertThat(moved.getReadSequence()).isEqualTo(sent.getSequence());
        }
    }

    @Test
    void aSlowConsumerIsClosedWithItsPositionsAndNobodyElseWaits() throws Exception {
        var hal = TestUsers.signUp("hal");
        var ian = TestUsers.signUp("ian");
        var jon = TestUsers.signUp("jon");
        var group = Chats.group(hal, ian, jon);
        // A stalled client with an ordinary 64 KiB window (grpc-java otherwise grows it to megabytes).
        ManagedChannel slowChannel = io.grpc.netty.NettyChannelBuilder.forAddress("localhost", Api.GRPC_PORT).usePlaintext()
                .flowControlWindow(65_535).build();
        ManagedChannel fastChannel = Api.channel("localhost", Api.GRPC_PORT);
        try (var slow = StreamClient.open(slowChannel, ian.tokens().getAccessToken(), Map.of(), false);
                var fast = StreamClient.open(fastChannel, jon.tokens().getAccessToken(), Map.of(), true)) {
            fast.awaitReady();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.openStreams() >= 2);
            int before = hub.openStreams();
            String padding = "p".repeat(2000);
            int sentCount = 0;
            while (hub.openStreams() == before && sentCount < 1000) {
                Chats.send(hal, group, sentCount++ + " " + padding);
            }
            assertThat(hub.openStreams()).as("the slow stream was released at once").isEqualTo(before - 1);
            long last = hal.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                    .setPageSize(1).build()).getMessages(0).getSequence();
            ConversationEvent seen;
            do {
                seen = fast.nextEvent();
            } while (seen.getSequence() < last);
            assertThat(seen.getSequence()).as("the fast reader got everything").isEqualTo(last);

            slow.startReading(); // what was already on its way arrives, then the close with positions
            var failure = slow.awaitFailure();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(Errors.reason(failure)).isEqualTo("SLOW_CONSUMER");
            long position = Long.parseLong(Errors.errorInfo(failure).getMetadataOrThrow("position." + group.getId()));
            var received = slow.drainFor(Duration.ZERO).stream().filter(StreamEventsResponse::hasConversationEvent)
                    .map(e -> e.getConversationEvent().getSequence()).toList();
            assertThat(received).isNotEmpty().isSorted().doesNotHaveDuplicates();
            assertThat(received.get(received.size() - 1)).isEqualTo(position);
            try (var resumed = StreamClient.open(ian, Map.of(group.getId(), position))) {
                var rest = resumed.events((int) (last - position));
                assertThat(rest.get(0).getSequence()).isEqualTo(position + 1);
                assertThat(rest.get(rest.size() - 1).getSequence()).isEqualTo(last);
            }
        } finally {
            slowChannel.shutdownNow();
            fastChannel.shutdownNow();
        }
    }

    @Test
    void bogusPositionsAreRefused() {
        var kim = TestUsers.signUp("kim");
        var group = Chats.group(kim);
        var stub = Api.withToken(EventServiceGrpc.newBlockingStub(Api.channel()), kim.tokens().getAccessToken());
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> stub.streamEvents(StreamEventsRequest
                .newBuilder().addPositions(ConversationPosition.newBuilder().setConversationId("x")).build()).next());
        assertThat(Errors.badFields(failure)).containsExactly("positions[0].conversation_id");
        assertFails(Status.Code.INVALID_ARGUMENT, () -> stub.streamEvents(StreamEventsRequest.newBuilder()
                .addPositions(ConversationPosition.newBuilder().setConversationId(group.getId()).setSequence(999))
                .build()).next());
        assertFails(Status.Code.UNAUTHENTICATED, () -> EventServiceGrpc.newBlockingStub(Api.channel())
                .streamEvents(StreamEventsRequest.getDefaultInstance()).next());
    }
}
