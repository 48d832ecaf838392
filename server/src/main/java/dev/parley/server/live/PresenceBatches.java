package dev.parley.server.live;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceChanges;
import dev.parley.api.v1.StreamEventsResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Presence changes reach streams in batches, so that a thousand people arriving in one room cost this node a
 * thousand notices and a few items per stream instead of a million items. Changes wait here, one per person (a
 * newer one replaces an older), and every interval go out per conversation: the changes of one conversation
 * become one list of items, shared by every stream that follows only that conversation among the changed ones,
 * and serialised once per writer thread ({@link SharedEventBytes}). A stream that follows several changed
 * conversations gets them merged, each person once. The work per interval grows with the changes and the streams,
 * not with their product.
 */
final class PresenceBatches {

    /** Most people per item: a snapshot of a very large room stays well inside clients' message size limits. */
    static final int PER_ITEM = 1000;
    private static final Logger LOG = Logger.getLogger(PresenceBatches.class);

    private record Change(Presence presence, Set<UUID> conversations) {
    }

    private final Map<UUID, Change> pending = new ConcurrentHashMap<>();
    private final Function<UUID, Feed> feeds;
    private final DeliveryLanes lanes;
    private final StreamMetrics metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("presence-batches").daemon().factory());

    PresenceBatches(Function<UUID, Feed> feeds, DeliveryLanes lanes, StreamMetrics metrics, Duration interval) {
        this.feeds = feeds;
        this.lanes = lanes;
        this.metrics = metrics;
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::sendSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A person's presence changed, heard on one of their conversations' channels; the same change heard on others
     * of their conversations adds those, the latest presence wins.
     */
    void add(Presence presence, UUID conversationId) {
        pending.compute(UUID.fromString(presence.getUserId()), (user, before) -> {
            Set<UUID> conversations = before == null ? new HashSet<>() : before.conversations();
            conversations.add(conversationId);
            return new Change(presence, conversations);
        });
    }

    void stop() {
        timer.shutdownNow();
    }

    /** The presence items for some people, at most {@link #PER_ITEM} per item. */
    static List<StreamEventsResponse> items(Collection<Presence> presences) {
        List<StreamEventsResponse> items = new ArrayList<>();
        PresenceChanges.Builder item = PresenceChanges.newBuilder();
        for (Presence presence : presences) {
            item.addPresences(presence);
            if (item.getPresencesCount() == PER_ITEM) {
                items.add(StreamEventsResponse.newBuilder().setPresenceChanges(item).build());
                item = PresenceChanges.newBuilder();
            }
        }
        if (item.getPresencesCount() > 0) {
            items.add(StreamEventsResponse.newBuilder().setPresenceChanges(item).build());
        }
        return items;
    }

    private void sendSafely() {
        try {
            send();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Presence changes were not sent");
        }
    }

    private void send() {
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, List<Presence>> byConversation = new HashMap<>();
        for (UUID userId : List.copyOf(pending.keySet())) {
            Change change = pending.remove(userId);
            for (UUID conversationId : change.conversations()) {
                byConversation.computeIfAbsent(conversationId, c -> new ArrayList<>()).add(change.presence());
            }
        }
        Map<EventStream, List<UUID>> changedFor = new HashMap<>();
        Map<UUID, List<StreamEventsResponse>> shared = new HashMap<>();
        byConversation.forEach((conversationId, presences) -> {
            Feed feed = feeds.apply(conversationId);
            if (feed != null) {
                shared.put(conversationId, items(presences));
                feed.streams.forEach(stream -> changedFor.computeIfAbsent(stream, s -> new ArrayList<>(1))
                        .add(conversationId));
            }
        });
        Map<EventStream, List<StreamEventsResponse>> itemsFor = new HashMap<>(changedFor.size());
        changedFor.forEach((stream, conversations) -> itemsFor.put(stream, conversations.size() == 1
                ? shared.get(conversations.get(0)) : merged(conversations, byConversation)));
        lanes.each(itemsFor.keySet(), stream -> itemsFor.get(stream).forEach(item -> {
            stream.offerEphemeral(item);
            metrics.presenceSent(item);
        }));
    }

    private static List<StreamEventsResponse> merged(List<UUID> conversations, Map<UUID, List<Presence>> changes) {
        Map<String, Presence> byPerson = new LinkedHashMap<>();
        conversations.forEach(c -> changes.get(c).forEach(p -> byPerson.put(p.getUserId(), p)));
        return items(byPerson.values());
    }
}
