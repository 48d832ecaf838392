package dev.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client's live stream, read through a blocking queue with timeouts (never sleeps). */
public final class StreamClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LinkedBlockingQueue<StreamEventsResponse> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<StreamEventsRequest> call;
    private volatile StatusRuntimeException failure;

    private StreamClient() {
    }

    public static StreamClient open(TestUsers.TestUser user, Map<String, Long> positions) {
        return open(Api.channel(), user.tokens().getAccessToken(), positions, true);
    }

    /** Opens a stream; with {@code reading} false it never asks for a message, like a stalled client. */
    public static StreamClient open(ManagedChannel channel, String accessToken, Map<String, Long> positions,
            boolean reading) {
        StreamClient client = new StreamClient();
        var request = StreamEventsRequest.newBuilder();
        positions.forEach((id, sequence) -> request.addPositions(ConversationPosition.newBuilder()
                .setConversationId(id).setSequence(sequence)));
        Api.withToken(EventServiceGrpc.newStub(channel), accessToken).streamEvents(request.build(),
                new ClientResponseObserver<StreamEventsRequest, StreamEventsResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamEventsRequest> stream) {
                        client.call = stream;
                        if (!reading) {
                            stream.disableAutoRequestWithInitial(0);
                        }
                    }

                    @Override
                    public void onNext(StreamEventsResponse item) {
                        client.received.add(item);
                    }

                    @Override
                    public void onError(Throwable t) {
                        client.failure = t instanceof StatusRuntimeException s ? s : Status.fromThrowable(t)
                                .asRuntimeException();
                        client.ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        client.ended.complete(Status.OK);
                    }
                });
        return client;
    }

    /** The next item matching, skipping others (heartbeats, presence...); fails after a timeout. */
    public StreamEventsResponse next(Predicate<StreamEventsResponse> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            StreamEventsResponse item = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(item).as("a matching stream item within " + WAIT + " (stream ended: " + ended.getNow(null)
                    + ")").isNotNull();
            if (wanted.test(item)) {
                return item;
            }
        }
    }

    /** The log events replayed before the stream said it is live, and the ready item itself, in order. */
    public List<ConversationEvent> replayUntilReady() throws InterruptedException {
        List<ConversationEvent> replay = new ArrayList<>();
        StreamEventsResponse item;
        while (!(item = next(i -> i.hasReady() || i.hasConversationEvent())).hasReady()) {
            replay.add(item.getConversationEvent());
        }
        return replay;
    }

    /** The next presence of the person the stream is told (in a presence_changes item), skipping the rest. */
    public dev.parley.api.v1.Presence nextPresenceOf(String userId) throws InterruptedException {
        return next(i -> i.hasPresenceChanges() && i.getPresenceChanges().getPresencesList().stream()
                .anyMatch(p -> p.getUserId().equals(userId))).getPresenceChanges().getPresencesList().stream()
                .filter(p -> p.getUserId().equals(userId)).reduce((first, last) -> last).orElseThrow();
    }

    /**
     * The presence of {@code userId} once it reaches {@code state}: earlier changes (such as the user's own arrival,
     * announced in the first interval after the stream opened) may come first and are passed over.
     */
    public dev.parley.api.v1.Presence awaitPresence(String userId, dev.parley.api.v1.PresenceState state)
            throws InterruptedException {
        return next(i -> i.hasPresenceChanges() && i.getPresenceChanges().getPresencesList().stream()
                .anyMatch(p -> p.getUserId().equals(userId) && p.getState() == state)).getPresenceChanges()
                .getPresencesList().stream().filter(p -> p.getUserId().equals(userId)).reduce((first, last) -> last)
                .orElseThrow();
    }

    public StreamEventsResponse awaitReady() throws InterruptedException {
        return next(StreamEventsResponse::hasReady);
    }

    public ConversationEvent nextEvent() throws InterruptedException {
        return next(StreamEventsResponse::hasConversationEvent).getConversationEvent();
    }

    /** The log events that arrive, until {@code count} of them or the timeout. */
    public List<ConversationEvent> events(int count) throws InterruptedException {
        List<ConversationEvent> events = new ArrayList<>();
        while (events.size() < count) {
            events.add(nextEvent());
        }
        return events;
    }

    /** Everything received within the time, without waiting for anything in particular. */
    public List<StreamEventsResponse> drainFor(Duration time) throws InterruptedException {
        List<StreamEventsResponse> items = new ArrayList<>();
        long deadline = System.nanoTime() + time.toNanos();
        StreamEventsResponse item;
        while ((item = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            items.add(item);
        }
        return items;
    }

    /** How the stream ended, waiting for it. */
    public StatusRuntimeException awaitFailure() throws Exception {
        Status status = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.isOk()).as("the stream failed").isFalse();
        return failure;
    }

    /** A stalled client starts reading again. */
    public void startReading() {
        call.request(Integer.MAX_VALUE);
    }

    public boolean isOpen() {
        return !ended.isDone();
    }

    @Override
    public void close() {
        if (call != null && !ended.isDone()) {
            call.cancel("test done", null);
        }
    }
}
