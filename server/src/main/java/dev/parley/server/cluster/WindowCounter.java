package dev.parley.server.cluster;

import java.time.Duration;

/**
 * Counts events per key in fixed windows, for rate limits: in Redis when clustered so every node sees the same
 * counts, in memory on a single node.
 */
public interface WindowCounter {

    /** A key's count in its current window and how long until that window ends (zero when none is open). */
    record Count(long value, Duration remaining) {
    }

    /** Counts one event for the key, opening a window of the given length if none is open. */
    Count hit(String key, Duration window);

    /** The key's count without changing it. */
    Count peek(String key);

    /** Takes back one event counted by {@link #hit} in the key's open window (none open: nothing happens). */
    void undo(String key);
}
