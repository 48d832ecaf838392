package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What the live stream does, for Prometheus: events delivered, resumes, positions too old (EVENTS_EXPIRED), slow
 * consumers cut off, and where a live event spends its time: from its commit to this node's receipt of the bus
 * notice ({@code parley.fanout.received}), and to its write on a stream ({@code parley.fanout.lag}); the difference
 * is time in the feed and the stream's queue. Open streams and feeds are gauges registered by {@link StreamHub}.
 */
@ApplicationScoped
public class StreamMetrics {

    private static final int LAG_SAMPLE_MASK = 15;
    private final Counter delivered;
    private int sampled; // racy on purpose: only sampling
    private final Counter resumes;
    private final Counter expired;
    private final Counter slowConsumers;
    private final Timer lag;
    private final Timer received;
    private int receivedSampled; // racy on purpose: only sampling
    private final MeterRegistry registry;
    private final Counter presenceItems;
    private final Counter unfollowed;
    private final Counter notices;
    private final Counter presenceEntries;

    StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder("parley.events.delivered")
                .description("Conversation events written to client streams").register(registry);
        this.resumes = Counter.builder("parley.streams.resumed")
                .description("Streams opened with positions to replay from").register(registry);
        this.expired = Counter.builder("parley.streams.events.expired")
                .description("Streams refused with EVENTS_EXPIRED: positions older than the replay limit")
                .register(registry);
        this.slowConsumers = Counter.builder("parley.streams.slow.consumer.closed")
                .description("Streams closed with SLOW_CONSUMER").register(registry);
        this.lag = Timer.builder("parley.fanout.lag")
                .description("From an event's commit to its write on a client stream")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.notices = Counter.builder("parley.bus.notices.received")
                .description("Log event notices this node received from the bus").register(registry);
        this.unfollowed = Counter.builder("parley.bus.notices.unfollowed")
                .description("Bus notices received for conversations no stream on this node follows (a node "
                        + "subscribes only to the conversations its streams follow: only races with unsubscribing)")
                .register(registry);
        this.presenceItems = Counter.builder("parley.presence.items")
                .description("presence_changes items written to client streams").register(registry);
        this.presenceEntries = Counter.builder("parley.presence.entries")
                .description("People's presence carried by those items").register(registry);
        this.received = Timer.builder("parley.fanout.received")
                .description("From an event's commit to this node's receipt of its bus notice")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** For the gauges of other beans (a method, not the field: callers hold a client proxy). */
    MeterRegistry registry() {
        return registry;
    }

    void delivered(ConversationEvent event) {
        delivered.increment();
        if ((++sampled & LAG_SAMPLE_MASK) != 0) {
            return; // the lag of one delivery in 16 describes the distribution as well, at a sixteenth of the cost
        }
        lag.record(sinceCommit(event));
    }

    /** A log event's notice reached this node: every one is counted, its delay sampled like the deliveries. */
    void received(ConversationEvent event) {
        notices.increment();
        if ((++receivedSampled & LAG_SAMPLE_MASK) == 0) {
            received.record(sinceCommit(event));
        }
    }

    private static Duration sinceCommit(ConversationEvent event) {
        long committed = event.getTime().getSeconds() * 1_000 + event.getTime().getNanos() / 1_000_000;
        return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - committed));
    }

    /** A presence item went to a stream (snapshot or changes). */
    void presenceSent(dev.parley.api.v1.StreamEventsResponse item) {
        presenceItems.increment();
        presenceEntries.increment(item.getPresenceChanges().getPresencesCount());
    }

    void unfollowedNotice() {
        unfollowed.increment();
    }

    void resumed() {
        resumes.increment();
    }

    void expired() {
        expired.increment();
    }

    void slowConsumer() {
        slowConsumers.increment();
    }
}
