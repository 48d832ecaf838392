package dev.parley.server.presence;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import dev.parley.server.cluster.PresenceStore;
import dev.parley.server.live.ConversationCatalog;
import dev.parley.server.live.EventFanout;
import dev.parley.server.live.StreamListener;
import dev.parley.server.grpc.ProtoTime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Online while any stream is open: this node renews its word for the people streaming here, lets it lapse a grace
 * period after their last stream closes, and sweeps for lapsed words (its own or a dead node's), announcing each
 * person who went offline to everyone who shares a conversation with them.
 */
@ApplicationScoped
class PresenceTracker implements StreamListener {

    private static final Logger LOG = Logger.getLogger(PresenceTracker.class);
    private static final long SWEEP_MILLIS = 2000;

    private final Set<UUID> streamingHere = ConcurrentHashMap.newKeySet();
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
    }

    @PostConstruct
    void start() {
        vertx.setPeriodic(config.ttl().toMillis() / 3, t -> background(this::renew));
        vertx.setPeriodic(SWEEP_MILLIS, t -> background(this::sweep));
    }

    @Override
    public void streamOpened(UUID userId, boolean first) {
        if (first) {
            streamingHere.add(userId);
            background(() -> {
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
            background(() -> store.connect(userId, clock.instant().plus(config.grace())));
        }
    }

    Presence setStatus(UUID userId, PresenceState state) {
        store.setStatus(userId, state.name().substring("PRESENCE_STATE_".length()).toLowerCase(Locale.ROOT));
        Presence presence = presenceOf(Set.of(userId)).get(userId);
        if (presence.getState() != PresenceState.PRESENCE_STATE_OFFLINE) {
            publish(presence);
        }
        return presence;
    }

    Map<UUID, Presence> presenceOf(Set<UUID> userIds) {
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

    private void renew() {
        Instant until = clock.instant().plus(config.ttl());
        streamingHere.forEach(userId -> store.connect(userId, until));
    }

    private void sweep() {
        store.sweep(clock.instant()).stream().filter(id -> !streamingHere.contains(id)).forEach(this::announce);
    }

    private void announce(UUID userId) {
        publish(presenceOf(Set.of(userId)).get(userId));
    }

    private void publish(Presence presence) {
        UUID userId = UUID.fromString(presence.getUserId());
        Set<UUID> conversations = QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(userId));
        if (!conversations.isEmpty()) {
            fanout.publishPresence(presence, conversations);
        }
    }

    private void background(Runnable work) {
        vertx.executeBlocking(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warnf("Presence update failed: %s", e.getMessage());
            }
            return null;
        }, false);
    }
}
