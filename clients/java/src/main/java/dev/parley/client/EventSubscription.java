package dev.parley.client;

import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live event stream, kept open: it remembers the last sequence received per conversation and whenever the
 * stream breaks (network, server restart, a slow-consumer cut) opens it again from there, so the listener gets
 * every conversation event exactly once and in order. Stale copies (at or below a known position) are dropped.
 */
public final class EventSubscription implements AutoCloseable {

    private static final long[] BACKOFF_MILLIS = {250, 500, 1_000, 2_000, 5_000};
    /** The server sends a heartbeat every 15 s; a stream silent this long is dead even if no error says so. */
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(45);

    private final EventServiceGrpc.EventServiceStub stub;
    private final TokenSession session;
    private final EventListener listener;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Long> positions = new ConcurrentHashMap<>();
    private volatile ClientCallStreamObserver<StreamEventsRequest> call;
    private volatile ScheduledFuture<?> watchdog;
    private volatile long lastHeard;
    private volatile boolean closed;
    private int failures;

    private final boolean fromAcknowledged;

    EventSubscription(EventServiceGrpc.EventServiceStub stub, TokenSession session, Map<String, Long> from,
            boolean fromAcknowledged, EventListener listener, ScheduledExecutorService scheduler) {
        this.fromAcknowledged = fromAcknowledged;
        this.stub = stub;
        this.session = session;
        this.listener = listener;
        this.scheduler = scheduler;
        positions.putAll(from);
    }

    /** The last sequence received per conversation: what to resume from, also in a later process. */
    public Map<String, Long> positions() {
        return Map.copyOf(positions);
    }

    void start() {
        connect();
        watchdog = scheduler.scheduleAtFixedRate(this::checkSilence, 5, 5, TimeUnit.SECONDS);
    }

    private void connect() {
        if (closed) {
            return;
        }
        var request = StreamEventsRequest.newBuilder().setResumeFromAcknowledged(fromAcknowledged);
        positions.forEach((id, sequence) -> request.addPositions(ConversationPosition.newBuilder()
                .setConversationId(id).setSequence(sequence)));
        lastHeard = System.nanoTime();
        stub.streamEvents(request.build(), new ClientResponseObserver<StreamEventsRequest, StreamEventsResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamEventsRequest> started) {
                call = started;
            }

            @Override
            public void onNext(StreamEventsResponse item) {
                received(item);
            }

            @Override
            public void onError(Throwable t) {
                broken(t instanceof StatusRuntimeException s ? s : Status.fromThrowable(t).asRuntimeException());
            }

            @Override
            public void onCompleted() {
                broken(Status.UNAVAILABLE.withDescription("the server ended the stream").asRuntimeException());
            }
        });
    }

    private void received(StreamEventsResponse item) {
        lastHeard = System.nanoTime();
        switch (item.getEventCase()) {
            case CONVERSATION_EVENT -> {
                var event = item.getConversationEvent();
                Long known = positions.get(event.getConversationId());
                if (known != null && event.getSequence() <= known) {
                    return;
                }
                positions.put(event.getConversationId(), event.getSequence());
            }
            case READY -> {
                item.getReady().getPositionsList().forEach(p -> positions.merge(p.getConversationId(), p.getSequence(),
                        Math::max));
                failures = 0;
            }
            case CONVERSATION_REMOVED -> positions.remove(item.getConversationRemoved().getConversationId());
            default -> {
            }
        }
        listener.onEvent(item);
        if (item.hasReady()) {
            listener.onLive();
        }
    }

    private void broken(StatusRuntimeException failure) {
        if (closed) {
            return;
        }
        ParleyException cause = ParleyException.from(failure);
        if ("EVENTS_EXPIRED".equals(cause.reason())) {
            Set<String> expired = new HashSet<>(Arrays.asList(cause.metadata().getOrDefault("conversations", "")
                    .split(",")));
            expired.remove("");
            expired.forEach(positions::remove);
            listener.onExpired(expired);
            scheduler.execute(this::connect);
            return;
        }
        if (cause instanceof ParleyException.UnauthenticatedException) {
            if (!"TOKEN_EXPIRED".equals(cause.reason()) && !"TOKEN_INVALID".equals(cause.reason())) {
                close();
                listener.onClosed(cause);
                return;
            }
            session.expireNow();
        }
        listener.onDisconnected(cause);
        long wait = BACKOFF_MILLIS[Math.min(failures++, BACKOFF_MILLIS.length - 1)];
        scheduler.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
    }

    private void checkSilence() {
        var current = call;
        if (current != null && System.nanoTime() - lastHeard > SILENCE_LIMIT.toNanos()) {
            current.cancel("no heartbeat for " + SILENCE_LIMIT.toSeconds() + " s", null); // onError reconnects
        }
    }

    /** Stops the stream for good; the listener hears nothing more. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        var current = call;
        if (current != null) {
            current.cancel("closed by the client", null);
        }
    }
}
