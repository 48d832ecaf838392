package dev.parley.server.live;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who among one followed conversation's members is not offline, so that a stream opening here gets its snapshot
 * from memory: loaded once per node when the conversation's feed starts, then kept current by the presence notices
 * and membership events the node receives anyway. Without it,
 * each of a thousand streams opening in a room would read a thousand members' presence from the store.
 */
final class RoomPresence {

    /** The members who are not offline: all a snapshot needs, so a snapshot reads nothing else. */
    private final Map<UUID, Presence> online = new ConcurrentHashMap<>();
    /** People whose notice came while the load ran: the load's older reading of them is ignored. */
    private final Set<UUID> changedDuringLoad = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    private final java.util.concurrent.locks.ReentrantLock loading = new java.util.concurrent.locks.ReentrantLock();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RoomPresence.class);

    /**
     * Loads the members and their presence unless done before; callers that come meanwhile wait for it. A notice
     * that arrived during the load is newer than what the load read, so it is kept. A failed load leaves the room
     * unloaded, for the next stream that follows it to retry; the feed itself does not wait for it.
     */
    void loadOnce(Supplier<Set<UUID>> memberIds, Function<Set<UUID>, Map<UUID, Presence>> presenceOf) {
        if (loaded) {
            return;
        }
        loading.lock(); // a lock, not a monitor: virtual threads wait here across blocking reads without pinning
        try {
            if (!loaded) {
                Map<UUID, Presence> read = presenceOf.apply(memberIds.get());
                online.keySet().removeIf(id -> !changedDuringLoad.contains(id)
                        && (!read.containsKey(id) || read.get(id).getState() == PresenceState.PRESENCE_STATE_OFFLINE));
                read.values().forEach(this::learned);
                loaded = true;
                changedDuringLoad.clear();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Presence of a conversation's members not loaded (the next stream to follow it tries again): %s",
                    e.getMessage());
        } finally {
            loading.unlock();
        }
    }

    /**
     * Reads the members' presence again (after a lost bus connection, when changes may have been missed); the
     * snapshots of streams opening afterwards are right again. Streams already open learn only later changes.
     */
    void reload(Supplier<Set<UUID>> memberIds, Function<Set<UUID>, Map<UUID, Presence>> presenceOf) {
        loaded = false;
        loadOnce(memberIds, presenceOf);
    }

    /** A member's presence changed (a notice for one of their conversations, this one among them). */
    void changed(Presence presence) {
        UUID userId = UUID.fromString(presence.getUserId());
        if (!loaded) {
            changedDuringLoad.add(userId);
        }
        if (presence.getState() == PresenceState.PRESENCE_STATE_OFFLINE) {
            online.remove(userId);
        } else {
            online.put(userId, presence);
        }
    }

    /** Someone joined: their presence as read just now (or, if that failed, with their next change). */
    void joined(Map<UUID, Presence> learned) {
        learned.values().forEach(this::learned);
    }

    void left(UUID userId) {
        online.remove(userId);
    }

    /** Adds the members who are not offline to the snapshot. */
    void addOnlineTo(Map<UUID, Presence> snapshot) {
        snapshot.putAll(online);
    }

    /** What a read found; a change that a notice brought meanwhile is newer and stays. */
    private void learned(Presence presence) {
        UUID userId = UUID.fromString(presence.getUserId());
        boolean newerKnown = !loaded && changedDuringLoad.contains(userId);
        if (presence.getState() != PresenceState.PRESENCE_STATE_OFFLINE && !newerKnown) {
            if (loaded) {
                online.putIfAbsent(userId, presence); // a newcomer's read: a notice since is newer
            } else {
                online.put(userId, presence);
            }
        }
    }
}
