package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.ConversationRemoved;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.api.v1.StreamReady;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ErrorMapping;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One client's stream. Per conversation it knows the last sequence it has sent and sends only the next one, so
 * replayed and live copies of an event go out once. While a conversation is being replayed, its live events wait.
 * Sending follows gRPC flow control: events queue while the client is not ready, up to a bound; past it the stream
 * ends with its positions so the client can resume, and nobody else waits for it.
 */
final class EventStream {

    /** Where the stream is in one conversation. */
    private static final class Follow {
        long lastSent;
        boolean replaying = true;
        final List<ConversationEvent> held = new ArrayList<>();

        Follow(long lastSent) {
            this.lastSent = lastSent;
        }
    }

    final UUID userId;
    final UUID sessionId;
    /** The {@link DeliveryLanes} lane that writes this stream's live log events. */
    final int lane;
    private final ServerCallStreamObserver<StreamEventsResponse> out;
    private final StreamMetrics metrics;
    private final StreamExits exits;
    private final int bufferSize;
    private final ArrayDeque<StreamEventsResponse> queue = new ArrayDeque<>();
    private final Map<UUID, Follow> follows = new HashMap<>();
    private final Map<UUID, Long> written = new HashMap<>();
    private int queuedLogEvents;
    /** Live events waiting behind replays, of all conversations: bounded in total, not only per conversation. */
    private int heldLogEvents;
    private boolean closed;

    EventStream(UUID userId, UUID sessionId, ServerCallStreamObserver<StreamEventsResponse> out,
            StreamMetrics metrics, StreamExits exits, int bufferSize, int lane) {
        this.userId = userId;
        this.lane = lane;
        this.sessionId = sessionId;
        this.out = out;
        this.metrics = metrics;
        this.exits = exits;
        this.bufferSize = bufferSize;
    }

    /** Starts following a conversation from a sequence; its live events wait until {@link #replayed}. */
    synchronized void follow(UUID conversationId, long from) {
        Follow before = follows.put(conversationId, new Follow(from));
        if (before != null) {
            heldLogEvents -= before.held.size();
        }
        written.putIfAbsent(conversationId, from);
    }

    synchronized boolean follows(UUID conversationId) {
        return follows.containsKey(conversationId);
    }

    synchronized Set<UUID> following() {
        return Set.copyOf(follows.keySet());
    }

    /** Sends a page of replayed events; with {@code done}, the events that waited meanwhile follow. */
    synchronized void replayed(UUID conversationId, List<ConversationEvent> events, boolean done) {
        Follow follow = follows.get(conversationId);
        if (follow == null || closed) {
            return;
        }
        events.forEach(event -> sendInOrder(conversationId, event));
        if (done && follows.get(conversationId) == follow) {
            follow.replaying = false;
            List<ConversationEvent> held = List.copyOf(follow.held);
            heldLogEvents -= held.size();
            follow.held.clear();
            held.forEach(event -> sendInOrder(conversationId, event));
        }
    }

    /** Replay is skipped: the client starts live from this sequence. */
    synchronized void liveFrom(UUID conversationId, long head) {
        Follow follow = follows.get(conversationId);
        if (follow != null) {
            follow.lastSent = Math.max(follow.lastSent, head);
            written.put(conversationId, follow.lastSent);
            replayed(conversationId, List.of(), true);
        }
    }

    /** A live event of a followed conversation; the feed passes the id it already has (no parse per stream). */
    synchronized void offerLog(UUID conversationId, ConversationEvent event) {
        Follow follow = follows.get(conversationId);
        if (follow == null || closed) {
            return;
        }
        if (follow.replaying) {
            if (heldLogEvents >= bufferSize * 4) {
                slowConsumer();
            } else {
                follow.held.add(event);
                heldLogEvents++;
            }
            return;
        }
        sendInOrder(conversationId, event);
    }

    /** Typing, presence, heartbeats: dropped first when the client falls behind. */
    synchronized void offerEphemeral(StreamEventsResponse item) {
        if (!closed && queue.size() < bufferSize / 2) {
            enqueue(item, false);
        }
    }

    /** State the client must not miss but that is not part of a log (read positions, membership). */
    synchronized void offerState(StreamEventsResponse item) {
        if (!closed) {
            enqueue(item, false);
        }
    }

    synchronized void ready() {
        var ready = StreamReady.newBuilder();
        follows.forEach((id, follow) -> ready.addPositions(ConversationPosition.newBuilder()
                .setConversationId(id.toString()).setSequence(follow.lastSent)));
        offerState(StreamEventsResponse.newBuilder().setReady(ready).build());
    }

    /** Blocks a replaying thread while the queue is over half full, so replay follows the client's pace. */
    synchronized void awaitRoom(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!closed && queuedLogEvents > bufferSize / 2) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                slowConsumer();
                return;
            }
            wait(left);
        }
    }

    /** Sends what the client is ready for. Called on every enqueue and by gRPC when the client can take more. */
    synchronized void drain() {
        while (!closed && !queue.isEmpty() && out.isReady()) {
            StreamEventsResponse item = queue.poll();
            if (item.hasConversationEvent()) {
                queuedLogEvents--;
                ConversationEvent event = item.getConversationEvent();
                written.put(UUID.fromString(event.getConversationId()), event.getSequence());
                metrics.delivered(event);
            }
            out.onNext(item);
        }
        notifyAll();
    }

    /** Ends the stream with a status; what it held is released. */
    void fail(ParleyException why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            notifyAll();
        }
        try {
            out.onError(ErrorMapping.toStatusException(why));
        } catch (RuntimeException alreadyGone) {
            // the client went away at the same moment
        }
        exits.ended(this);
    }

    /** The client cancelled, disconnected or hit its deadline. */
    void cancelled() {
        synchronized (this) {
            if (closed) {
                return; // it failed first and has told its exits already
            }
            closed = true;
            queue.clear();
            notifyAll();
        }
        exits.ended(this);
    }

    synchronized boolean closed() {
        return closed;
    }

    private void sendInOrder(UUID conversationId, ConversationEvent event) {
        Follow follow = follows.get(conversationId);
        if (event.getSequence() <= follow.lastSent) {
            return;
        }
        if (event.getSequence() != follow.lastSent + 1) {
            // The feed hands out contiguous events; a hole here means this stream lost track: let the client resume.
            fail(ParleyException.of(ErrorKind.UNAVAILABLE, "STREAM_RESYNC", "The stream lost its place, resume "
                    + "from your positions"));
            return;
        }
        follow.lastSent = event.getSequence();
        enqueue(StreamEventsResponse.newBuilder().setConversationEvent(event).build(), true);
        if (endsMyMembership(event)) {
            follows.remove(conversationId);
            exits.unfollowed(this, conversationId);
            offerState(StreamEventsResponse.newBuilder().setConversationRemoved(ConversationRemoved.newBuilder()
                    .setConversationId(conversationId.toString())).build());
        }
    }

    private boolean endsMyMembership(ConversationEvent event) {
        String me = userId.toString();
        return (event.hasMemberLeft() && event.getMemberLeft().getUserId().equals(me))
                || (event.hasMemberRemoved() && event.getMemberRemoved().getUserId().equals(me));
    }

    private void enqueue(StreamEventsResponse item, boolean logEvent) {
        queue.add(item);
        if (logEvent && ++queuedLogEvents > bufferSize) {
            slowConsumer();
            return;
        }
        drain();
    }

    /** Positions a SLOW_CONSUMER ending carries at most: 64 of about 50 bytes each, 4.5 KiB once in base64. */
    static final int POSITIONS_IN_TRAILERS = 64;

    private void slowConsumer() {
        metrics.slowConsumer();
        ParleyException why = ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "SLOW_CONSUMER",
                "The client read too slowly, resume from your positions");
        // At most POSITIONS_IN_TRAILERS of them: trailers must stay well under the 8 KiB of metadata that grpc-java
        // and grpc-js clients accept by default, or the client cannot read why the stream ended. The client knows
        // the last sequence it received of every conversation anyway; these spare it the bookkeeping.
        int included = 0;
        for (Map.Entry<UUID, Long> position : written.entrySet()) {
            if (included++ == POSITIONS_IN_TRAILERS) {
                break;
            }
            why = why.with("position." + position.getKey(), Long.toString(position.getValue()));
        }
        if (written.size() > POSITIONS_IN_TRAILERS) {
            why = why.with("positions_omitted", Integer.toString(written.size() - POSITIONS_IN_TRAILERS));
        }
        ParleyException closing = why;
        fail(closing);
    }
}
