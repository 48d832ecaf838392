package dev.parley.server.attachment;

import dev.parley.server.common.AdvisoryLocks;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Frees what files no longer need, every {@link AttachmentConfig#purgeInterval()}: uploads left unsent past their
 * day (completed or not) and the files of deleted messages, which were hidden from everyone at deletion and now
 * lose their bytes. In batches under a PostgreSQL advisory lock, so the replicas of a cluster take turns; the
 * bytes are deleted before the row, so a failure half-way leaves a row the next round finds again.
 */
@Startup
@ApplicationScoped
public class AttachmentPurge {

    private static final Logger LOG = Logger.getLogger(AttachmentPurge.class);
    /** The advisory lock's key: any number no other part of Parley locks. */
    private static final long LOCK = 0x66696c6573L; // "files"
    private static final int BATCH = 100;

    private final AttachmentConfig config;
    private final DataSource database;
    private final FileStore store;
    private final Clock clock;
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-attachment-purge"));

    AttachmentPurge(AttachmentConfig config, DataSource database, FileStore store, Clock clock) {
        this.config = config;
        this.database = database;
        this.store = store;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        long every = config.purgeInterval().toMillis();
        runner.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    /** Purges until nothing is left to purge, or another node holds the lock; returns how many files went. */
    public long runOnce() throws SQLException, IOException {
        long total = 0;
        while (true) {
            int purged = purgeBatch();
            if (purged < 0) {
                return total;
            }
            total += purged;
            if (purged < BATCH) {
                if (total > 0) {
                    LOG.infof("Attachments: purged %d unsent uploads and files of deleted messages", total);
                }
                return total;
            }
        }
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.warnf("Attachment purge failed, it runs again in %s: %s", config.purgeInterval(), e.toString());
        }
    }

    /** One batch in one transaction under the lock; -1 when another node holds it. */
    private int purgeBatch() throws SQLException, IOException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!AdvisoryLocks.tryForTransaction(connection, LOCK)) {
                    connection.rollback();
                    return -1;
                }
                List<UUID> doomed = doomed(connection);
                for (UUID id : doomed) {
                    store.delete(StoredAttachment.fileKey(id, false));
                    store.delete(StoredAttachment.fileKey(id, true));
                    StagedChunks.drop(connection, id);
                }
                try (PreparedStatement delete = connection.prepareStatement(
                        "delete from attachments where id = any(?::uuid[])")) {
                    delete.setArray(1, connection.createArrayOf("uuid", doomed.toArray()));
                    delete.executeUpdate();
                }
                connection.commit();
                return doomed.size();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * The rows to purge, locked: a send claiming an unsent upload at this moment either took it first (and the
     * row, read again after the lock, is no longer unsent) or waits, then finds it gone and is refused.
     */
    private List<UUID> doomed(Connection connection) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        collect(connection, ids, "select id from attachments where message_id is null and avatar_of is null and created_at < ? "
                + "limit ? for update skip locked", Timestamp.from(clock.instant().minus(config.unsentKeptFor())));
        collect(connection, ids, "select id from attachments where gone_at is not null limit ? for update skip locked",
                null);
        return ids;
    }

    private static void collect(Connection connection, List<UUID> ids, String sql, Timestamp cutoff)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int next = 1;
            if (cutoff != null) {
                query.setTimestamp(next++, cutoff);
            }
            query.setInt(next, BATCH);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
    }
}
