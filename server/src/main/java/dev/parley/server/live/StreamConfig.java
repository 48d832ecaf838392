package dev.parley.server.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The live stream's settings, from {@code parley.events.*} or {@code PARLEY_EVENTS_*}. */
@ConfigMapping(prefix = "parley.events")
public interface StreamConfig {

    /** How often an idle stream gets a heartbeat, so proxies keep it open. */
    @WithDefault("PT15S")
    Duration heartbeatInterval();

    /** How many events per conversation a resuming client may be behind; further back is EVENTS_EXPIRED. */
    @WithDefault("10000")
    int replayLimit();

    /** Log events a stream may hold unsent before it is closed as a slow consumer. */
    @WithDefault("2048")
    int bufferSize();

    /** At most one typing notice per person and conversation reaches a stream in this long. */
    @WithDefault("PT2S")
    Duration typingInterval();

    /** Event streams one account may have open on one node; the next is refused with TOO_MANY_STREAMS. */
    @WithDefault("10")
    int maxStreamsPerAccount();

    /**
     * Threads writing live log events to streams ({@link DeliveryLanes}); default: one per core. 0 writes on the
     * thread that receives bus notices, as before lanes (kept to measure one against the other).
     */
    java.util.OptionalInt writerThreads();

    /** How often streams get the presence changes gathered meanwhile ({@link PresenceBatches}). */
    @WithDefault("PT0.25S")
    Duration presenceInterval();

    /** Only for tests of the switch from replay to live: a pause between listening and reading PostgreSQL. */
    @WithDefault("PT0S")
    Duration backfillDelay();
}
