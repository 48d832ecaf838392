package dev.parley.server.message;

import dev.parley.server.log.BatchAppends;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Commits batches of sends: one connection, one transaction and one WAL flush for every send that arrived while the
 * previous batch was committing, over plain JDBC (no ORM session, no JTA transaction per send). A batch whose
 * expectations did not hold (a refused or repeated send, a member removed meanwhile) or that lost a deadlock to a
 * batch on another node is rolled back and written again, knowing what the last attempt found.
 */
@ApplicationScoped
class GroupCommit {

    private static final int ATTEMPTS = 4;
    /** deadlock_detected, serialization_failure: PostgreSQL rolled back, trying again is the remedy. */
    private static final Set<String> TRY_AGAIN = Set.of("40P01", "40001");

    private final DataSource database;
    private final BatchAppends log;
    private final Instance<SentInTransaction> listeners;
    private final Clock clock;
    private final DistributionSummary batchSizes;
    private final Timer commits;

    GroupCommit(DataSource database, BatchAppends log, Instance<SentInTransaction> listeners, Clock clock,
            MeterRegistry metrics) {
        this.database = database;
        this.log = log;
        this.listeners = listeners;
        this.clock = clock;
        this.batchSizes = DistributionSummary.builder("parley.sends.batch.size")
                .description("Sends committed together in one transaction").register(metrics);
        this.commits = Timer.builder("parley.sends.batch.seconds")
                .description("Time to write and commit one batch of sends, attempts included").register(metrics);
    }

    /**
     * Writes and commits the batch, then hands its events to the live feature. Null when no attempt held (each
     * send is then better tried alone).
     */
    SendBatch.Written commit(List<SendRequest> sends) throws SQLException {
        long started = System.nanoTime();
        List<SendBatch.Outcome> expected = SendBatch.allSent(sends.size());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            SendBatch.Written written = attempt(sends, expected);
            if (written != null && written.consistent()) {
                batchSizes.record(sends.size());
                commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                log.committed(written.events());
                return written;
            }
            if (written != null) {
                expected = written.outcomes();
            }
        }
        return null;
    }

    /** One attempt: committed when consistent, rolled back otherwise; null after a deadlock. */
    private SendBatch.Written attempt(List<SendRequest> sends, List<SendBatch.Outcome> expected)
            throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                SendBatch.Written written = SendBatch.write(connection, sends, expected, clock.instant());
                if (!written.consistent()) {
                    connection.rollback();
                    return written;
                }
                for (SentInTransaction listener : listeners) {
                    listener.sent(connection, written.posted());
                }
                connection.commit();
                return written;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                if (e instanceof SQLException sql && TRY_AGAIN.contains(sql.getSQLState())) {
                    return null;
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
