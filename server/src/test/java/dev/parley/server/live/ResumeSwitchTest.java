package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The switch from replay to live, slowed down so that events are committed in the middle of it. */
@QuarkusTest
@TestProfile(SlowSwitch.class)
class ResumeSwitchTest {

    @Inject
    StreamHub hub;

    @Test
    void eventsCommittedDuringTheSwitchArriveExactlyOnce() throws Exception {
        var lyn = TestUsers.signUp("lyn");
        var mia = TestUsers.signUp("mia");
        var group = Chats.group(lyn, mia);
        long position = Chats.send(lyn, group, "before").getSequence();
        for (int i = 0; i < 3; i++) {
            Chats.send(lyn, group, "missed " + i);
        }
        int streamsBefore = hub.openStreams();
        try (var stream = StreamClient.open(mia, Map.of(group.getId(), position))) {
            // The server now listens, then waits 1.5 s before reading: these commit inside that window.
            CompletableFuture<Void> during = CompletableFuture.runAsync(() -> {
                org.awaitility.Awaitility.await().until(() -> hub.openStreams() > streamsBefore);
                for (int i = 0; i < 5; i++) {
                    Chats.send(lyn, group, "during " + i);
                }
            });
            during.get();
            List<ConversationEvent> events = new ArrayList<>(stream.replayUntilReady());
            Chats.send(lyn, group, "after");
            ConversationEvent event;
            do {
                event = stream.nextEvent();
                events.add(event);
            } while (!event.getMessageSent().getText().equals("after"));

            assertThat(events).extracting(e -> e.getMessageSent().getText()).containsExactly("missed 0", "missed 1",
                    "missed 2", "during 0", "during 1", "during 2", "during 3", "during 4", "after");
            assertThat(events).extracting(ConversationEvent::getSequence).doesNotHaveDuplicates()
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(position + 1, position + 9).boxed().toList());
        }
    }

    @Test
    void aPositionOlderThanTheReplayLimitIsRefusedNamingTheConversation() throws Exception {
        var ned = TestUsers.signUp("ned");
        var group = Chats.group(ned);
        for (int i = 0; i < 25; i++) {
            Chats.send(ned, group, "m" + i);
        }
        try (var stream = StreamClient.open(ned, Map.of(group.getId(), 1L))) {
            var failure = stream.awaitFailure();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Errors.reason(failure)).isEqualTo("EVENTS_EXPIRED");
            assertThat(Errors.errorInfo(failure).getMetadataOrThrow("conversations")).isEqualTo(group.getId());
        }
        try (var stream = StreamClient.open(ned, Map.of(group.getId(), 10L))) {
            assertThat(stream.nextEvent().getSequence()).isEqualTo(11);
        }
    }
}
