package dev.parley.server.presence;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import dev.parley.server.cluster.PresenceStore;
import dev.parley.server.live.ConversationCatalog;
import dev.parley.server.live.EventFanout;
import dev.parley.server.live.PresenceSource;
import dev.parley.server.live.StreamListener;
import dev.parley.server.grpc.ProtoTime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Online while any stream is open: this node renews its word for the people streaming here, lets it lapse a grace
 * period after their last stream closes, and sweeps for lapsed words (its own or a dead node's), announcing each
 * person who went offline to everyone who shares a conversation with them.
 */
@ApplicationScoped
class PresenceTracker implements StreamListener, PresenceSource {

    private static final Logger LOG = Logger.getLogger(PresenceTracker.class);
    private static final long SWEEP_MILLIS = 2000;

    private static final int STRIPES = 4;
    /** People per query for their conversations: well inside PostgreSQL's limit of bind parameters. */
    private static final int QUERY_BATCH = 1000;

    private final Set<UUID> streamingHere = ConcurrentHashMap.newKeySet();
    private final ExecutorService[] stripes = new ExecutorService[STRIPES];
    private final PresenceStore store;
    private final EventFanout fanout;
    private final ConversationCatalog catalog;
    private final PresenceConfig config;
    private final Clock clock;
    private final Vertx vertx;

    PresenceTracker(PresenceStore store, EventFanout fanout, ConversationCatalog catalog, PresenceConfig config,
            Clock clock, Vertx vertx) {
        this.store = store;
        this.fanout = fanout;
        this.catalog = catalog;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("presence-" + i).daemon()
                    .factory());
        }
    }

    @PostConstruct
    void start() {
        vertx.setPeriodic(config.ttl().toMillis() / 3, t -> renew());
        vertx.setPeriodic(SWEEP_MILLIS, t -> vertx.executeBlocking(() -> {
            sweep();
            return null;
        }, false));
    }

    @PreDestroy
    void stop() {
        for (ExecutorService stripe : stripes) {
            stripe.shutdownNow();
        }
    }

    @Override
    public void streamOpened(UUID userId, boolean first) {
        if (first) {
            streamingHere.add(userId);
            inTurn(userId, () -> {
                if (store.connect(userId, clock.instant().plus(config.ttl()))) {
                    announce(userId);
                }
            });
        }
    }

    @Override
    public void streamClosed(UUID userId, boolean last) {
        if (last) {
            streamingHere.remove(userId);
            inTurn(userId, () -> store.connect(userId, clock.instant().plus(config.grace())));
        }
    }

    Presence setStatus(UUID userId, PresenceState state) {
        store.setStatus(userId, state.name().substring("PRESENCE_STATE_".length()).toLowerCase(Locale.ROOT));
        Presence presence = presenceOf(Set.of(userId)).get(userId);
        if (presence.getState() != PresenceState.PRESENCE_STATE_OFFLINE) {
            publish(presence, QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(userId)));
        }
        return presence;
    }

    @Override
    public Map<UUID, Presence> presenceOf(Set<UUID> userIds) {
        Map<UUID, Presence> presences = new java.util.HashMap<>();
        store.get(userIds, clock.instant()).forEach((id, entry) -> {
            var presence = Presence.newBuilder().setUserId(id.toString());
            if (!entry.online()) {
                presence.setState(PresenceState.PRESENCE_STATE_OFFLINE).setLastSeenTime(ProtoTime.of(entry.lastSeen()));
            } else {
                presence.setState(switch (entry.status()) {
                    case "away" -> PresenceState.PRESENCE_STATE_AWAY;
                    case "do_not_disturb" -> PresenceState.PRESENCE_STATE_DO_NOT_DISTURB;
                    default -> PresenceState.PRESENCE_STATE_ONLINE;
                });
            }
            presences.put(id, presence.build());
        });
        return presences;
    }

    /** Pushes the word of everyone streaming here forward; someone who stopped meanwhile is left to lapse. */
    private void renew() {
        Instant until = clock.instant().plus(config.ttl());
        streamingHere.forEach(userId -> inTurn(userId, () -> {
            if (streamingHere.contains(userId)) {
                store.connect(userId, until);
            }
        }));
    }

    /**
     * Announces everyone whose word lapsed, however many (the Redis store once handed out 200 per sweep, so 500
     * people leaving took three sweeps, 6 s, to announce). Their conversations are read in one query, and each is
     * then announced in their turn, unless they came back meanwhile.
     */
    private void sweep() {
        List<UUID> gone = store.sweep(clock.instant()).stream().filter(id -> !streamingHere.contains(id)).toList();
        if (gone.isEmpty()) {
            return;
        }
        Map<UUID, Set<UUID>> conversations = new java.util.HashMap<>();
        for (int from = 0; from < gone.size(); from += QUERY_BATCH) {
            List<UUID> batch = gone.subList(from, Math.min(gone.size(), from + QUERY_BATCH));
            conversations.putAll(QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOfEach(batch)));
        }
        gone.forEach(id -> inTurn(id, () -> {
            if (!streamingHere.contains(id)) {
                publish(presenceOf(Set.of(id)).get(id), conversations.getOrDefault(id, Set.of()));
            }
        }));
    }

    private void announce(UUID userId) {
        Presence presence = presenceOf(Set.of(userId)).get(userId);
        publish(presence, QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(userId)));
    }

    private void publish(Presence presence, Set<UUID> conversations) {
        if (!conversations.isEmpty()) {
            fanout.publishPresence(presence, conversations);
        }
    }

    /**
     * Runs one person's presence work after their earlier work, never beside it: a renewal, a stream opening and
     * the grace period after its closing must reach the store in the order they happened, or a late renewal keeps
     * someone online for a whole expiry after they left. Different people's work runs in parallel on the stripes.
     */
    private void inTurn(UUID userId, Runnable work) {
        stripes[Math.floorMod(userId.hashCode(), stripes.length)].execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warnf("Presence update failed: %s", e.getMessage());
            }
        });
    }
}
