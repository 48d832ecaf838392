package dev.parley.server.cluster;

import java.time.Duration;
import java.util.Map;

/**
 * Cluster-wide tallies per key over fixed windows, which nodes add their own counts to now and then: in Redis when
 * clustered; on a single node there is no one else to count, so there are no tallies.
 */
public interface UsageTallies {

    /**
     * Adds each key's count to its tally in the current window and returns the tallies; a key missing from the
     * answer has none (single node), and if Redis cannot be reached the answer is empty: each node then limits on
     * its own, as a single node does.
     */
    Map<String, Long> add(Map<String, Long> counts, Duration window);
}
