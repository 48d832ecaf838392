package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.MemberChanged;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.api.v1.Typing;
import dev.parley.server.support.Errors;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One stream on its own, with no server: what it writes to its client given what it is offered, and what it tells
 * its exits. The client is a recording observer whose readiness the test sets, as gRPC flow control would.
 */
class EventStreamQueueTest {

    private static final int BUFFER = 8;
    private static final UUID ROOM = UUID.randomUUID();
    private final UUID me = UUID.randomUUID();
    private final RecordingClient client = new RecordingClient();
    private final List<String> exits = new ArrayList<>();
    private final EventStream stream = new EventStream(me, UUID.randomUUID(), client,
            new StreamMetrics(new SimpleMeterRegistry()), new StreamExits() {
                @Override
                public void unfollowed(EventStream s, UUID conversationId) {
                    exits.add("unfollowed " + conversationId);
                }

                @Override
                public void ended(EventStream s) {
                    exits.add("ended");
                }
            }, BUFFER, 0);

    @Test
    void liveEventsWaitForTheReplayAndCopiesInBothGoOutOnce() {
        stream.follow(ROOM, 0);
        stream.offerLog(ROOM, message(2));
        stream.offerLog(ROOM, message(3));
        assertThat(client.sequences()).isEmpty();

        stream.replayed(ROOM, List.of(message(1), message(2)), true);
        stream.offerLog(ROOM, message(3));
        stream.offerLog(ROOM, message(4));

        assertThat(client.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(exits).isEmpty();
    }

    @Test
    void aStreamStartedLiveSkipsWhatIsBeforeItsHead() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 5);
        stream.offerLog(ROOM, message(5));
        stream.offerLog(ROOM, message(6));
        assertThat(client.sequences()).containsExactly(6L);
    }

    @Test
    void aHoleEndsTheStreamForAResumeAndTellsItsExitsOnce() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 0);
        stream.offerLog(ROOM, message(1));
        stream.offerLog(ROOM, message(3));
        stream.offerLog(ROOM, message(4));
        stream.cancelled();

        assertThat(client.sequences()).containsExactly(1L);
        assertThat(Errors.reason(client.failure())).isEqualTo("STREAM_RESYNC");
        assertThat(exits).containsExactly("ended");
    }

    @Test
    void aClientThatStopsReadingIsCutOffWithThePositionsItWasWritten() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 0);
        stream.offerLog(ROOM, message(1));
        client.ready = false;
        for (long sequence = 2; sequence <= 2 + BUFFER; sequence++) {
            stream.offerLog(ROOM, message(sequence));
        }

        assertThat(client.sequences()).containsExactly(1L);
        StatusRuntimeException failure = client.failure();
        assertThat(Errors.reason(failure)).isEqualTo("SLOW_CONSUMER");
        ErrorInfo info = Errors.errorInfo(failure);
        assertThat(info.getMetadataMap()).containsEntry("position." + ROOM, "1");
        assertThat(exits).containsExactly("ended");
        assertThat(stream.closed()).isTrue();
    }

    @Test
    void liveEventsHeldBehindReplaysAreBoundedForTheWholeStreamNotPerConversation() {
        List<UUID> rooms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rooms.add(UUID.randomUUID());
            stream.follow(rooms.get(i), 0);
        }
        // Four buffers' worth in all, spread so that no one conversation holds more than a few events.
        for (int i = 0; i < BUFFER * 4; i++) {
            stream.offerLog(rooms.get(i % 10), message(i / 10 + 2));
        }
        assertThat(stream.closed()).isFalse();
        stream.offerLog(rooms.get(0), message(99));
        assertThat(Errors.reason(client.failure())).isEqualTo("SLOW_CONSUMER");
    }

    @Test
    void heldEventsReleasedByTheirReplayNoLongerCount() {
        UUID other = UUID.randomUUID();
        stream.follow(ROOM, 0);
        stream.follow(other, 0);
        for (long sequence = 2; sequence < 2 + BUFFER * 4; sequence++) {
            stream.offerLog(ROOM, message(sequence));
        }
        stream.replayed(ROOM, List.of(message(1)), true);
        stream.offerLog(other, message(2));
        assertThat(stream.closed()).isFalse();
    }

    @Test
    void aSlowConsumerInHundredsOfConversationsGetsTrailersEveryClientCanRead() {
        List<UUID> rooms = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UUID room = UUID.randomUUID();
            rooms.add(room);
            stream.follow(room, 0);
            stream.liveFrom(room, 0);
            stream.offerLog(room, ConversationEvent.newBuilder().setConversationId(room.toString()).setSequence(1)
                    .setMessageSent(Message.newBuilder()).build());
        }
        client.ready = false;
        for (long sequence = 2; sequence <= 2 + BUFFER; sequence++) {
            stream.offerLog(rooms.get(0), ConversationEvent.newBuilder().setConversationId(rooms.get(0).toString())
                    .setSequence(sequence).setMessageSent(Message.newBuilder()).build());
        }

        StatusRuntimeException failure = client.failure();
        ErrorInfo info = Errors.errorInfo(failure);
        assertThat(info.getMetadataMap().keySet().stream().filter(key -> key.startsWith("position.")))
                .hasSize(EventStream.POSITIONS_IN_TRAILERS);
        assertThat(info.getMetadataMap()).containsEntry("positions_omitted", "236");
        int trailerBytes = "grpc-message".length() + 32 + failure.getStatus().getDescription().length();
        for (String key : failure.getTrailers().keys()) {
            if (key.endsWith("-bin")) {
                for (byte[] value : failure.getTrailers().getAll(io.grpc.Metadata.Key.of(key,
                        io.grpc.Metadata.BINARY_BYTE_MARSHALLER))) {
                    trailerBytes += key.length() + 32 + java.util.Base64.getEncoder().encodeToString(value).length();
                }
            } else {
                for (String value : failure.getTrailers().getAll(io.grpc.Metadata.Key.of(key,
                        io.grpc.Metadata.ASCII_STRING_MARSHALLER))) {
                    trailerBytes += key.length() + 32 + value.length();
                }
            }
        }
        assertThat(trailerBytes).as("trailers as HTTP/2 counts them").isLessThan(8 * 1024);
    }

    @Test
    void queuedEventsGoOutWhenTheClientIsReadyAgainAndTypingIsDroppedFirst() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 0);
        client.ready = false;
        for (long sequence = 1; sequence <= BUFFER / 2; sequence++) {
            stream.offerLog(ROOM, message(sequence));
        }
        stream.offerEphemeral(StreamEventsResponse.newBuilder().setTyping(Typing.newBuilder()
                .setConversationId(ROOM.toString())).build());

        client.ready = true;
        stream.drain();

        assertThat(client.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(client.written).noneMatch(StreamEventsResponse::hasTyping);
        assertThat(client.failure).isNull();
    }

    @Test
    void leavingAConversationStopsItsEventsAndSaysSo() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 0);
        stream.offerLog(ROOM, message(1));
        stream.offerLog(ROOM, ConversationEvent.newBuilder().setConversationId(ROOM.toString()).setSequence(2)
                .setMemberLeft(MemberChanged.newBuilder().setUserId(me.toString())).build());
        stream.offerLog(ROOM, message(3));

        assertThat(client.sequences()).containsExactly(1L, 2L);
        assertThat(client.written.getLast().getConversationRemoved().getConversationId()).isEqualTo(ROOM.toString());
        assertThat(exits).containsExactly("unfollowed " + ROOM);
        assertThat(stream.follows(ROOM)).isFalse();
    }

    @Test
    void aStreamCancelledByItsClientEndsOnceAndWritesNothingMore() {
        stream.follow(ROOM, 0);
        stream.liveFrom(ROOM, 0);
        stream.cancelled();
        stream.cancelled();
        stream.offerLog(ROOM, message(1));

        assertThat(client.written).isEmpty();
        assertThat(exits).containsExactly("ended");
    }

    private static ConversationEvent message(long sequence) {
        return ConversationEvent.newBuilder().setConversationId(ROOM.toString()).setSequence(sequence)
                .setMessageSent(Message.newBuilder()).build();
    }

    /** The client end of the stream as gRPC presents it to the server: ready or not, and what was written. */
    private static final class RecordingClient extends ServerCallStreamObserver<StreamEventsResponse> {
        boolean ready = true;
        final List<StreamEventsResponse> written = new ArrayList<>();
        Throwable failure;

        List<Long> sequences() {
            return written.stream().filter(StreamEventsResponse::hasConversationEvent)
                    .map(item -> item.getConversationEvent().getSequence()).toList();
        }

        StatusRuntimeException failure() {
            StatusException status = (StatusException) failure;
            return new StatusRuntimeException(status.getStatus(), status.getTrailers());
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void onNext(StreamEventsResponse value) {
            written.add(value);
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
