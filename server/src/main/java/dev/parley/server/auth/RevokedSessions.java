package dev.parley.server.auth;

import dev.parley.server.cluster.NodeBus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The sessions ended while access tokens for them may still be unexpired. Every authenticated call is checked
 * against this set in memory, so an ended session stops working at once without a database read per call.
 * It is filled from PostgreSQL at start and after a lost bus connection, and kept current by notices that every
 * node publishes when it ends sessions. An entry can go once the longest-lived access token for it has expired.
 */
@Startup
@ApplicationScoped
class RevokedSessions {

    private static final String CHANNEL = "sessions.revoked";
    private static final long SWEEP_MILLIS = 60_000;

    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final jakarta.enterprise.event.Event<SessionsEnded> ended;
    private final NodeBus bus;
    private final AuthConfig config;
    private final Clock clock;
    private final Vertx vertx;

    RevokedSessions(NodeBus bus, AuthConfig config, Clock clock, Vertx vertx,
            jakarta.enterprise.event.Event<SessionsEnded> ended) {
        this.ended = ended;
        this.bus = bus;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        bus.subscribeText(CHANNEL, payload -> {
            List<UUID> ids = Arrays.stream(payload.split(",")).map(UUID::fromString).toList();
            ids.forEach(id -> revoked.put(id, clock.instant()));
            ended.fire(new SessionsEnded(ids));
        });
        bus.onReconnect(this::reload);
        reload();
        vertx.setPeriodic(SWEEP_MILLIS, t -> sweep());
    }

    boolean isRevoked(UUID sessionId) {
        return revoked.containsKey(sessionId);
    }

    /** Makes ended sessions fail at once on this node and, through the bus, on every other. Call after commit. */
    void announce(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        sessionIds.forEach(id -> revoked.put(id, now));
        bus.publish(CHANNEL, sessionIds.stream().map(UUID::toString).collect(Collectors.joining(",")));
    }

    private void reload() {
        Instant since = clock.instant().minus(config.accessTokenLifetime());
        List<AccountSession> recent = QuarkusTransaction.requiringNew().call(() ->
                AccountSession.<AccountSession>list("revokedAt >= ?1", since));
        recent.forEach(session -> revoked.put(session.id, session.revokedAt));
    }

    private void sweep() {
        Instant horizon = clock.instant().minus(config.accessTokenLifetime()).minusSeconds(60);
        revoked.values().removeIf(at -> at.isBefore(horizon));
    }
}
