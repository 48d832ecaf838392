package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads that write live log events to streams. Each stream belongs to one lane for its whole life, and a
 * lane runs its work in order, so every stream still sees a conversation's events in sequence; the lanes run in
 * parallel, so the writes of one busy conversation are spread over the cores instead of all being made by the one
 * thread that receives the node's bus notices (which was the delivery ceiling: see docs/benchmarks.md). A feed's
 * lock is no longer held while writing: handing an event over is one queued task per lane.
 */
@ApplicationScoped
class DeliveryLanes {

    private final ExecutorService[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    DeliveryLanes(StreamConfig config) {
        int count = config.writerThreads().orElse(Runtime.getRuntime().availableProcessors());
        lanes = new ExecutorService[Math.max(0, count)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("stream-writer-" + i).daemon()
                    .factory());
        }
    }

    /** False when configured with no lanes: feeds then write on the thread that released the event. */
    boolean enabled() {
        return lanes.length > 0;
    }

    /** The lane of a new stream: round robin. */
    int assign() {
        return lanes.length == 0 ? 0 : Math.floorMod(next.getAndIncrement(), lanes.length);
    }

    /** Hands an event to the streams, each on its own lane; returns at once. */
    void deliver(UUID conversationId, ConversationEvent event, Set<EventStream> streams) {
        each(streams, stream -> stream.offerLog(conversationId, event));
    }

    /**
     * Runs the work for each stream on the stream's lane, in order with everything else of that lane; returns at
     * once. Without lanes, runs it here. The collection must not change afterwards, or be safe to read meanwhile.
     */
    void each(Collection<EventStream> streams, Consumer<EventStream> work) {
        if (lanes.length == 0) {
            streams.forEach(work);
            return;
        }
        for (int lane = 0; lane < lanes.length; lane++) {
            int mine = lane;
            lanes[lane].execute(() -> {
                for (EventStream stream : streams) {
                    if (stream.lane == mine) {
                        work.accept(stream);
                    }
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
