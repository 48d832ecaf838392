package dev.parley.server.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Presence of a single node, in memory. */
final class LocalPresenceStore implements PresenceStore {

    private final Map<UUID, Instant> connectedUntil = new HashMap<>();
    private final Map<UUID, String> statuses = new HashMap<>();
    private final Map<UUID, Instant> lastSeen = new HashMap<>();

    @Override
    public synchronized boolean connect(UUID userId, Instant until) {
        Instant before = connectedUntil.put(userId, until);
        return before == null;
    }

    @Override
    public synchronized void setStatus(UUID userId, String status) {
        statuses.put(userId, status);
    }

    @Override
    public synchronized Map<UUID, Entry> get(Collection<UUID> userIds, Instant now) {
        Map<UUID, Entry> entries = new HashMap<>();
        for (UUID id : userIds) {
            Instant until = connectedUntil.get(id);
            entries.put(id, new Entry(until != null && until.isAfter(now), statuses.getOrDefault(id, "online"),
                    lastSeen.get(id)));
        }
        return entries;
    }

    @Override
    public synchronized List<UUID> sweep(Instant now) {
        List<UUID> offline = new ArrayList<>();
        connectedUntil.entrySet().removeIf(entry -> {
            if (entry.getValue().isAfter(now)) {
                return false;
            }
            offline.add(entry.getKey());
            lastSeen.put(entry.getKey(), now);
            return true;
        });
        return offline;
    }
}
