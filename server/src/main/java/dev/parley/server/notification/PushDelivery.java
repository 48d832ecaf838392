package dev.parley.server.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * Stage two: pushes the notifications that are due. A batch is claimed (SKIP LOCKED) and leased by moving its due
 * time past the push's timeout, so a node that dies mid-push leaves it to another; then each is pushed, all at once,
 * and settled: handed over (what it stood for is subtracted: messages that arrived meanwhile wait one coalescing
 * interval), the subscription gone (the device removed), or failed (retried with doubling backoff, dropped once
 * its first message is older than the give-up time). A notification whose newest message was deleted is dropped.
 */
@ApplicationScoped
class PushDelivery {

    private final DataSource database;
    private final WebPushSender sender;
    private final NotificationConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Counter delivered;
    private final Counter failed;
    private final Counter gone;

    PushDelivery(DataSource database, WebPushSender sender, NotificationConfig config, ObjectMapper json, Clock clock,
            MeterRegistry registry) {
        this.database = database;
        this.sender = sender;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.delivered = Counter.builder("parley_pushes").tag("outcome", "delivered").register(registry);
        this.failed = Counter.builder("parley_pushes").tag("outcome", "failed").register(registry);
        this.gone = Counter.builder("parley_pushes").tag("outcome", "gone").register(registry);
    }

    /** One claimed notification: the device, what to say, and what it stood for when claimed. */
    private record Due(UUID deviceId, UUID conversationId, int pending, int attempts, Instant firstQueued,
            String endpoint, byte[] p256dh, byte[] auth, PushPayloads.Facts facts) {
    }

    /** Pushes one batch; returns how many were due (0: none). */
    int deliverBatch() throws SQLException {
        List<Due> due = claim();
        if (due.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (Due one : due) {
            if (one.facts() == null) {
                pushes.add(CompletableFuture.runAsync(() -> settle(one, WebPushSender.Outcome.DELIVERED, null, false)));
                continue;
            }
            pushes.add(sender.push(one.endpoint(), one.p256dh(), one.auth(), PushPayloads.json(json, one.facts()),
                    one.facts().mention()).thenAccept(result -> settle(one, result.outcome(), result.error(), true)));
        }
        CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();
        return due.size();
    }

    private List<Due> claim() throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = database.getConnection();
                PreparedStatement claim = connection.prepareStatement("""
                        with due as (
                          select device_id, conversation_id from push_notifications
                           where pending > 0 and due_at <= ? order by due_at limit ? for update skip locked)
                        update push_notifications n set due_at = ?
                          from due where n.device_id = due.device_id and n.conversation_id = due.conversation_id
                        returning n.device_id, n.conversation_id, n.pending, n.attempts, n.first_queued_at,
                                  n.message_id, n.mention""")) {
            claim.setTimestamp(1, Timestamp.from(now));
            claim.setInt(2, config.batchSize());
            claim.setTimestamp(3, Timestamp.from(now.plus(config.timeout().multipliedBy(3))));
            List<Object[]> claimed = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Object[] {rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                        rows.getInt(3), rows.getInt(4), rows.getTimestamp(5).toInstant(),
                        rows.getObject(6, UUID.class), rows.getBoolean(7)});
                }
            }
            List<Due> due = new ArrayList<>();
            for (Object[] row : claimed) {
                due.add(details(connection, row));
            }
            return due;
        }
    }

    /** The device's address and keys and the notification's facts, read now (a rename shows in the next push). */
    private static Due details(Connection connection, Object[] row) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                select d.address, d.p256dh, d.auth, c.kind, c.title, au.display_name, m.text, m.attachment_count,
                       m.sequence, m.deleted_at is not null
                  from push_devices d, conversations c, messages m join accounts au on au.id = m.author_id
                 where d.id = ? and c.id = ? and m.id = ?""")) {
            query.setObject(1, row[0]);
            query.setObject(2, row[1]);
            query.setObject(3, row[5]);
            try (ResultSet rows = query.executeQuery()) {
                PushPayloads.Facts facts = null;
                String endpoint = null;
                byte[] p256dh = null;
                byte[] auth = null;
                if (rows.next()) {
                    endpoint = rows.getString(1);
                    p256dh = rows.getBytes(2);
                    auth = rows.getBytes(3);
                    if (!rows.getBoolean(10)) {
                        String author = rows.getString(6);
                        String title = "direct".equals(rows.getString(4)) ? author : rows.getString(5);
                        facts = new PushPayloads.Facts((UUID) row[1], title, (int) row[2], (UUID) row[5],
                                rows.getLong(9), author, rows.getString(7), rows.getInt(8), (boolean) row[6]);
                    }
                }
                return new Due((UUID) row[0], (UUID) row[1], (int) row[2], (int) row[3], (Instant) row[4], endpoint,
                        p256dh, auth, facts);
            }
        }
    }

    private void settle(Due due, WebPushSender.Outcome outcome, String error, boolean pushed) {
        Instant now = clock.instant();
        try (Connection connection = database.getConnection()) {
            switch (outcome) {
                case DELIVERED -> {
                    if (pushed) {
                        delivered.increment();
                    }
                    try (PreparedStatement done = connection.prepareStatement("""
                            update push_notifications set pending = greatest(0, pending - ?), attempts = 0,
                                   last_error = null, last_pushed_at = case when ? then ?::timestamptz else last_pushed_at end,
                                   due_at = case when pending - ? > 0 then ?::timestamptz end,
                                   first_queued_at = case when pending - ? > 0 then ?::timestamptz end
                             where device_id = ? and conversation_id = ?""")) {
                        done.setInt(1, due.pending());
                        done.setBoolean(2, pushed);
                        done.setTimestamp(3, Timestamp.from(now));
                        done.setInt(4, due.pending());
                        done.setTimestamp(5, Timestamp.from(now.plus(config.coalesce())));
                        done.setInt(6, due.pending());
                        done.setTimestamp(7, Timestamp.from(now));
                        done.setObject(8, due.deviceId());
                        done.setObject(9, due.conversationId());
                        done.executeUpdate();
                    }
                    if (pushed) {
                        try (PreparedStatement device = connection.prepareStatement(
                                "update push_devices set last_pushed_at = ? where id = ?")) {
                            device.setTimestamp(1, Timestamp.from(now));
                            device.setObject(2, due.deviceId());
                            device.executeUpdate();
                        }
                    }
                }
                case GONE -> {
                    gone.increment();
                    try (PreparedStatement remove = connection.prepareStatement(
                            "delete from push_devices where id = ?")) {
                        remove.setObject(1, due.deviceId());
                        remove.executeUpdate();
                    }
                }
                case FAILED -> {
                    failed.increment();
                    boolean giveUp = due.firstQueued().plus(config.giveUpAfter()).isBefore(now);
                    try (PreparedStatement retry = connection.prepareStatement("""
                            update push_notifications set attempts = attempts + 1, last_error = ?,
                                   pending = case when ? then 0 else pending end,
                                   due_at = case when ? then null else ?::timestamptz end
                             where device_id = ? and conversation_id = ?""")) {
                        retry.setString(1, error == null ? "failed" : error.substring(0, Math.min(500, error.length())));
                        retry.setBoolean(2, giveUp);
                        retry.setBoolean(3, giveUp);
                        retry.setTimestamp(4, Timestamp.from(now.plus(backoff(due.attempts()))));
                        retry.setObject(5, due.deviceId());
                        retry.setObject(6, due.conversationId());
                        retry.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            // Left leased: another attempt comes once the lease passes.
            org.jboss.logging.Logger.getLogger(PushDelivery.class).warn("Could not settle a push", e);
        }
    }

    private Duration backoff(int attemptsBefore) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(20, attemptsBefore));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}
