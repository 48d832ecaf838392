package dev.parley.server.cluster;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who is connected, per node, with an expiry each node keeps pushing forward while the person has a stream
 * there. A node that dies stops pushing, so its entries expire and a surviving node's sweep reports the people
 * who went offline. In Redis when clustered, in memory on a single node.
 */
public interface PresenceStore {

    /** What is known of one person. */
    record Entry(boolean online, String status, Instant lastSeen) {
    }

    /** The person is connected on this node until the time; true when they were offline everywhere before. */
    boolean connect(UUID userId, Instant until);

    /** The person's status while online: "online", "away" or "dnd". */
    void setStatus(UUID userId, String status);

    Map<UUID, Entry> get(Collection<UUID> userIds, Instant now);

    /** Removes expired connections and returns the people left with none, each reported by one node only. */
    List<UUID> sweep(Instant now);
}
