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
import org.jboss.logging.Logger;

/**
 * Commits batches of sends: one connection, one transaction and one WAL flush for every send that arrived while the
 * previous batch was committing, over plain JDBC (no ORM session, no JTA transaction per send). A batch whose
 * expectations did not hold (a refused or repeated send, a member removed meanwhile) or that lost a deadlock to a
 * batch on another node is rolled back and written again, knowing what the last attempt found.
 */
@ApplicationScoped
class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final int ATTEMPTS = 4;
    /** deadlock_detected, serialization_failure: PostgreSQL rolled back, trying again is the remedy. */
    private static final Set<String> TRY_AGAIN = Set.of("40P01", "40001");
    /**
     * lock_not_available, query_canceled: a conversation's row stayed locked past the batch's lock_timeout, or a
     * statement ran past its statement_timeout. The batch is split, so that only that conversation's sends wait.
     */
    private static final Set<String> SPLIT = Set.of("55P03", "57014");

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
     * Writes and commits the batch, then hands its events to the live feature. Null when it is better split (no
     * attempt held, or a conversation stayed locked): each send is then tried alone.
     */
    SendBatch.Written commit(List<SendRequest> sends) throws SQLException {
        long started = System.nanoTime();
        List<SendBatch.Outcome> expected = SendBatch.allSent(sends.size());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Attempt result = attempt(sends, expected);
            if (result.split()) {
                return null;
            }
            SendBatch.Written written = result.written();
            if (written != null && written.consistent()) {
                batchSizes.record(sends.size());
                commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                publish(written);
                return written;
            }
            if (written != null) {
                expected = written.outcomes();
            }
        }
        return null;
    }

    /** Committed is committed: a failure to publish must not turn into failed sends (streams catch up on the log). */
    private void publish(SendBatch.Written written) {
        try {
            log.committed(written.events());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%d committed events were not published; streams will catch up from the log",
                    written.events().size());
        }
    }

    /** What one attempt came to: written (consistent or not), to be tried again (neither), or to be split. */
    private record Attempt(SendBatch.Written written, boolean split) {
    }

    /** One attempt: committed when consistent, rolled back otherwise (and whatever happens, never half-done). */
    private Attempt attempt(List<SendRequest> sends, List<SendBatch.Outcome> expected) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                SendBatch.Written written = SendBatch.write(connection, sends, expected, clock.instant());
                if (written.consistent()) {
                    for (SentInTransaction listener : listeners) {
                        listener.sent(connection, written.posted());
                    }
                    connection.commit();
                    committed = true;
                }
                return new Attempt(written, false);
            } catch (SQLException e) {
                if (TRY_AGAIN.contains(e.getSQLState()) || SPLIT.contains(e.getSQLState())) {
                    return new Attempt(null, SPLIT.contains(e.getSQLState()));
                }
                throw e;
            } finally {
                if (!committed) {
                    rollback(connection); // before autocommit is restored, which would commit what is open
                }
                connection.setAutoCommit(true);
            }
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e.getMessage()); // the connection is broken; the pool discards it
        }
    }
}
