package dev.parley.server.auth;

import dev.parley.server.cluster.NodeBus;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The sessions (and bot tokens) ended while access tokens for them may still be unexpired. Every authenticated
 * call is checked against this set in memory, so an ended session stops working at once without a database read
 * per call. It is kept current by notices that every node publishes when it ends sessions; and because a notice
 * can be lost (the bus is at most once), it is also reconciled with PostgreSQL: in full at start and after a lost
 * bus connection, and every {@link AuthConfig#revocationCheckInterval()} for what was revoked since the last
 * check. A revocation found that way ends whatever this node holds for it, as a notice would have. An entry can go
 * once the longest-lived access token for it has expired.
 */
@Startup
@ApplicationScoped
class RevokedSessions {

    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    private static final String CHANNEL = "sessions.revoked";
    /** How far back each check looks past the previous one: commits lag the revocation time, clocks differ. */
    private static final Duration OVERLAP = Duration.ofSeconds(30);

    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final Event<SessionsEnded> ended;
    private final NodeBus bus;
    private final AuthConfig config;
    private final Clock clock;
    private final DataSource database;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-revocation-check"));
    private volatile Instant checkedUpTo;

    RevokedSessions(NodeBus bus, AuthConfig config, Clock clock, DataSource database, Event<SessionsEnded> ended) {
        this.ended = ended;
        this.bus = bus;
        this.config = config;
        this.clock = clock;
        this.database = database;
    }

    @PostConstruct
    void start() {
        bus.subscribeText(CHANNEL, payload -> {
            List<UUID> ids = Arrays.stream(payload.split(",")).map(UUID::fromString).toList();
            ids.forEach(id -> revoked.put(id, clock.instant()));
            ended.fire(new SessionsEnded(ids));
        });
        bus.onReconnect(() -> checker.execute(() -> catchUp(clock.instant().minus(config.accessTokenLifetime()))));
        Instant now = clock.instant();
        read(now.minus(config.accessTokenLifetime())).forEach(revoked::put);
        checkedUpTo = now;
        long every = config.revocationCheckInterval().toMillis();
        checker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
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

    private void check() {
        try {
            Instant now = clock.instant();
            catchUp(checkedUpTo.minus(OVERLAP));
            checkedUpTo = now;
            Instant horizon = now.minus(config.accessTokenLifetime()).minus(OVERLAP.multipliedBy(2));
            revoked.values().removeIf(at -> at.isBefore(horizon));
        } catch (RuntimeException e) {
            LOG.warnf("revocation check failed: %s", e.toString()); // the next check looks back past this one
        }
    }

    /** Adds the revocations since a time that this node had not heard of, and ends what it holds for them. */
    private void catchUp(Instant since) {
        List<UUID> unheard = new ArrayList<>();
        read(since).forEach((id, at) -> {
            if (revoked.putIfAbsent(id, at) == null) {
                unheard.add(id);
            }
        });
        if (!unheard.isEmpty()) {
            LOG.infof("%d revocation(s) found in PostgreSQL that no bus notice brought; ending their streams here",
                    unheard.size());
            ended.fire(new SessionsEnded(unheard));
        }
    }

    /** Sessions and bot tokens (whose ids stand for sessions) revoked since a time, with when. */
    private Map<UUID, Instant> read(Instant since) {
        try (Connection connection = database.getConnection(); var query = connection.prepareStatement("""
                select id, revoked_at from sessions where revoked_at >= ?
                union all
                select id, revoked_at from bot_tokens where revoked_at >= ?""")) {
            query.setTimestamp(1, Timestamp.from(since));
            query.setTimestamp(2, Timestamp.from(since));
            Map<UUID, Instant> found = new java.util.HashMap<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getObject(1, UUID.class), rows.getTimestamp(2).toInstant());
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read revoked sessions", e);
        }
    }
}
