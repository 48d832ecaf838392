package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * One conversation's live events on this node, in order, for the local streams that follow it. Notices can arrive
 * out of order (commits on different threads publish independently) or not at all (a dropped connection): an
 * event that leaves a gap is held back while the missing ones are read from PostgreSQL, once per node rather than
 * once per stream. Everything below a committed sequence number is committed too, so the read always finds them.
 */
final class Feed {

    private static final long UNKNOWN = -1;

    final UUID conversationId;
    final Set<EventStream> streams;
    /** Its members' presence, for the snapshots of streams opening here. */
    final RoomPresence presence = new RoomPresence();
    private final TreeMap<Long, ConversationEvent> waiting = new TreeMap<>();
    private final BiFunction<UUID, Long, java.util.List<ConversationEvent>> readAfter;
    private final Executor reader;
    private final Consumer<ConversationEvent> released;
    private long delivered = UNKNOWN;
    private boolean reading;
    private boolean subscribed;
    /** Set when a read found nothing new: the next read waits for the next notice instead of spinning. */
    private boolean stalled;

    Feed(UUID conversationId, BiFunction<UUID, Long, java.util.List<ConversationEvent>> readAfter, Executor reader) {
        this(conversationId, new CopyOnWriteArraySet<>(), readAfter, reader, null);
    }

    /**
     * With {@code released}, events next in line go there (to the delivery lanes, or a test) instead of being
     * written to each of {@code streams} on the releasing thread.
     */
    Feed(UUID conversationId, Set<EventStream> streams, BiFunction<UUID, Long, java.util.List<ConversationEvent>>
            readAfter, Executor reader, Consumer<ConversationEvent> released) {
        this.conversationId = conversationId;
        this.streams = streams;
        this.readAfter = readAfter;
        this.reader = reader;
        this.released = released != null ? released
                : event -> streams.forEach(stream -> stream.offerLog(conversationId, event));
    }

    /** Where the feed starts: the log head read after the feed began listening. Earlier events are not its own. */
    synchronized void startAt(long head) {
        if (delivered == UNKNOWN) {
            delivered = head;
            waiting.headMap(head, true).clear();
            release();
            if (subscribed) {
                catchUp();
            }
        }
    }

    /**
     * The node's subscription to the conversation's notices was sent: what was committed before it took effect
     * is read once the feed has started (now, or when it starts).
     */
    synchronized void subscribed() {
        subscribed = true;
        catchUp();
    }

    /** Reads whatever was committed after what the feed has delivered (a subscription began, the bus came back). */
    synchronized void catchUp() {
        if (delivered != UNKNOWN && !reading) {
            reading = true;
            long from = delivered;
            reader.execute(() -> fill(from));
        }
    }

    synchronized void offer(ConversationEvent event) {
        long sequence = event.getSequence();
        if (delivered != UNKNOWN && sequence <= delivered) {
            return;
        }
        waiting.put(sequence, event);
        stalled = false;
        release();
    }

    /** The highest sequence handed to the streams, or -1 before the feed has started. */
    synchronized long delivered() {
        return delivered;
    }

    /** Hands every event that is next in line to the streams; reads from PostgreSQL across a gap. */
    private void release() {
        if (delivered == UNKNOWN) {
            return;
        }
        while (!waiting.isEmpty() && waiting.firstKey() <= delivered + 1) {
            ConversationEvent next = waiting.pollFirstEntry().getValue();
            if (next.getSequence() == delivered + 1) {
                delivered++;
                released.accept(next);
            }
        }
        if (!waiting.isEmpty() && !reading && !stalled) {
            reading = true;
            long from = delivered;
            reader.execute(() -> fill(from));
        }
    }

    private void fill(long from) {
        java.util.List<ConversationEvent> missing;
        try {
            missing = readAfter.apply(conversationId, from);
        } catch (RuntimeException e) {
            missing = java.util.List.of();
        }
        synchronized (this) {
            reading = false;
            stalled = missing.isEmpty();
            missing.forEach(event -> {
                if (event.getSequence() > delivered) {
                    waiting.put(event.getSequence(), event);
                }
            });
            release();
        }
    }
}
