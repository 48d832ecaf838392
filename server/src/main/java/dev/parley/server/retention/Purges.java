package dev.parley.server.retention;

import dev.parley.server.common.AdvisoryLocks;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes what has outlived its retention, every {@link RetentionConfig#interval()}: in batches, each its own
 * short transaction, with a pause between them, so that a backlog of a million rows costs the sends running
 * beside it little. Each batch first takes a PostgreSQL advisory lock for its transaction; a node that does not
 * get it leaves the round to the node that has it, so the replicas of a cluster never purge at the same time.
 */
@Startup
@ApplicationScoped
public class Purges {

    private static final Logger LOG = Logger.getLogger(Purges.class);
    /** The advisory lock's key: any number no other part of Parley locks. */
    static final long LOCK = 0x7061726c6579L; // "parley"
    /** A long purge says how far it has got every so many rows. */
    private static final long PROGRESS_EVERY = 100_000;

    private final RetentionConfig config;
    private final DataSource database;
    private final Clock clock;
    private final List<Purge> purges;
    private final MeterRegistry registry;
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-retention"));

    Purges(RetentionConfig config, DataSource database, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.database = database;
        this.clock = clock;
        this.registry = registry;
        this.purges = List.of(Purge.events(config.events()), Purge.webhookDeliveries(config.webhookDeliveries()),
                Purge.refreshTokens(config.expiredTokens()), Purge.resetTokens(config.expiredTokens()),
                Purge.endedSessions(config.endedSessions()), Purge.revokedBotTokens(config.endedSessions()),
                Purge.expiredMessages());
    }

    @PostConstruct
    void start() {
        long every = config.interval().toMillis();
        runner.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    /**
     * Runs every purge until nothing old is left, or until another node holds the lock; returns the rows deleted
     * of each kind (empty when another node was purging).
     */
    public Map<String, Long> runOnce() throws SQLException, InterruptedException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (Purge purge : purges) {
            Instant cutoff = clock.instant().minus(purge.keptFor());
            long started = System.nanoTime();
            long total = 0;
            while (true) {
                long batch = deleteBatch(purge, cutoff);
                if (batch < 0) {
                    return deleted; // another node is purging
                }
                total += batch;
                if (total / PROGRESS_EVERY != (total - batch) / PROGRESS_EVERY) {
                    LOG.infof("Retention: purging %s, %d so far", purge.name(), total);
                }
                if (batch < config.batchSize()) {
                    break;
                }
                Thread.sleep(config.batchPause());
            }
            deleted.put(purge.name(), total);
            if (total > 0) {
                registry.counter("parley_retention_purged_rows", "kind", purge.name()).increment(total);
                LOG.infof("Retention: purged %d %s%s in %d ms", total, purge.name(), purge.keptFor().isZero() ? ""
                        : " older than " + purge.keptFor(), (System.nanoTime() - started) / 1_000_000);
            }
        }
        return deleted;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Retention purge round failed, it runs again in %s: %s", config.interval(), e.toString());
        }
    }

    /** Deletes one batch in one transaction under the lock; -1 when another node holds it. */
    private long deleteBatch(Purge purge, Instant cutoff) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!AdvisoryLocks.tryForTransaction(connection, LOCK)) {
                    connection.rollback();
                    return -1;
                }
                long deleted;
                try (var statement = connection.prepareStatement(purge.batchStatement())) {
                    statement.setTimestamp(1, Timestamp.from(cutoff));
                    statement.setInt(2, config.batchSize());
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        deleted = rows.getLong(1);
                    }
                }
                connection.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
