package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.ManagedChannel;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Correctness of fan-out at the size of a real room, not its speed: 500 streams in one group each receive every
 * one of 200 messages exactly once, in sequence order, with no gap. A safety net for changes to how deliveries are
 * queued, serialised and written.
 */
@QuarkusTest
class RoomFanoutTest {

    private static final int STREAMS = 500;
    private static final int MESSAGES = 200;
    /** The server allows 100 concurrent streams per HTTP/2 connection; clients use several, as browsers do. */
    private static final int STREAMS_PER_CHANNEL = 50;

    @Test
    void fiveHundredStreamsInOneRoomEachGetEveryMessageOnceAndInOrder() throws Exception {
        TestUser owner = TestUsers.signUp("room");
        List<TestUser> members = signUp(STREAMS - 1);
        var group = Chats.group(owner);
        for (int from = 0; from < members.size(); from += 100) {
            owner.conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(group.getId())
                    .addAllUserIds(members.subList(from, Math.min(members.size(), from + 100)).stream()
                            .map(TestUser::id).toList()).build());
        }
        List<TestUser> everyone = new ArrayList<>(members);
        everyone.add(owner);
        List<ManagedChannel> channels = IntStream.range(0, STREAMS / STREAMS_PER_CHANNEL)
                .mapToObj(i -> Api.channel("localhost", Api.GRPC_PORT)).toList();
        List<StreamClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < everyone.size(); i++) {
                streams.add(StreamClient.open(channels.get(i / STREAMS_PER_CHANNEL),
                        everyone.get(i).tokens().getAccessToken(), Map.of(), true));
            }
            for (StreamClient stream : streams) {
                stream.awaitReady();
            }
            for (int i = 0; i < MESSAGES; i++) {
                Chats.send(owner, group, "room message " + i);
            }
            for (StreamClient stream : streams) {
                List<ConversationEvent> events = stream.events(MESSAGES);
                assertThat(events).extracting(e -> e.getMessageSent().getText())
                        .containsExactlyElementsOf(IntStream.range(0, MESSAGES).mapToObj(i -> "room message " + i)
                                .toList());
                long first = events.get(0).getSequence();
                assertThat(events).extracting(ConversationEvent::getSequence).containsExactlyElementsOf(
                        IntStream.range(0, MESSAGES).mapToObj(i -> first + i).toList());
            }
        } finally {
            streams.forEach(StreamClient::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static List<TestUser> signUp(int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<TestUser>> pending = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit(() -> TestUsers.signUp("member"))).toList();
            List<TestUser> users = new ArrayList<>();
            for (Future<TestUser> user : pending) {
                users.add(user.get());
            }
            return users;
        }
    }
}
