package dev.parley.server.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.common.SqlArrays;
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
 * time past the push's timeout, so a node that dies mid-push leaves it to another; then each is pushed, all at once
 * (one push service serves many subscriptions), and the batch settled: handed over (what it stood for is
 * subtracted: messages that arrived meanwhile wait one coalescing interval), the subscription gone (the device
 * removed), or failed (retried with doubling backoff, dropped once its first message is older than the give-up
 * time). A notification whose newest message was deleted, or whose person is no longer a member of the
 * conversation, is dropped unsent.
 */
@ApplicationScoped
class PushDelivery {

    private final DataSource database;
    private final java.util.Map<String, PushSender> senders = new java.util.HashMap<>();
    private final NotificationConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Counter delivered;
    private final Counter failed;
    private final Counter gone;

    PushDelivery(DataSource database, jakarta.enterprise.inject.Instance<PushSender> senders, NotificationConfig config,
            ObjectMapper json, Clock clock, MeterRegistry registry) {
        this.database = database;
        senders.forEach(sender -> this.senders.put(sender.kind(), sender));
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.delivered = Counter.builder("parley_pushes").tag("outcome", "delivered").register(registry);
        this.failed = Counter.builder("parley_pushes").tag("outcome", "failed").register(registry);
        this.gone = Counter.builder("parley_pushes").tag("outcome", "gone").register(registry);
    }

    /** One claimed notification: the device, what to say, and what it stood for when claimed. */
    private record Due(UUID deviceId, UUID conversationId, int pending, int attempts, Instant firstQueued,
            String kind, String endpoint, byte[] p256dh, byte[] auth, PushPayloads.Facts facts) {
    }

    /** Pushes one batch; returns how many were due (0: none). */
    int deliverBatch() throws SQLException {
        List<Due> due = claim();
        if (due.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Settled>> pushes = new ArrayList<>();
        for (Due one : due) {
            if (one.facts() == null) { // its message was deleted, or its person left or was removed: nothing to say
                pushes.add(CompletableFuture.completedFuture(new Settled(one, PushSender.Outcome.DELIVERED, null,
                        false)));
                continue;
            }
            PushSender sender = senders.get(one.kind());
            pushes.add(sender.push(new PushSender.Target(one.endpoint(), one.p256dh(), one.auth()),
                    PushPayloads.json(json, one.facts()), one.facts().mention())
                    .thenApply(result -> new Settled(one, result.outcome(), result.error(), true)));
        }
        List<Settled> settled = pushes.stream().map(CompletableFuture::join).toList();
        try (Connection connection = database.getConnection()) {
            settle(connection, settled);
        } catch (SQLException e) {
            // Left leased: another attempt comes once the lease passes.
            org.jboss.logging.Logger.getLogger(PushDelivery.class).warn("Could not settle pushes", e);
        }
        return due.size();
    }

    /** What became of one claimed notification. */
    private record Settled(Due due, PushSender.Outcome outcome, String error, boolean pushed) {
    }

    /**
     * Claims and leases a batch, with what each push needs in the same statement: the device's address and keys and
     * the facts, read now (a rename shows in the next push).
     */
    private List<Due> claim() throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = database.getConnection();
                PreparedStatement claim = connection.prepareStatement("""
                        with due as (
                          select device_id, conversation_id from push_notifications
                           where pending > 0 and due_at <= ? order by due_at limit ? for update skip locked),
                        claimed as (
                          update push_notifications n set due_at = ?
                            from due where n.device_id = due.device_id and n.conversation_id = due.conversation_id
                          returning n.device_id, n.conversation_id, n.pending, n.attempts, n.first_queued_at,
                                    n.message_id, n.mention)
                        select c.device_id, c.conversation_id, c.pending, c.attempts, c.first_queued_at, c.message_id,
                               c.mention, d.address, d.p256dh, d.auth, v.kind, v.title, au.display_name, m.text,
                               m.attachment_count, m.sequence,
                               m.deleted_at is not null or m.id is null or not exists (select 1 from memberships s
                                 where s.conversation_id = c.conversation_id and s.account_id = d.account_id),
                               d.kind
                          from claimed c
                          join push_devices d on d.id = c.device_id
                          join conversations v on v.id = c.conversation_id
                          left join messages m on m.id = c.message_id
                          left join accounts au on au.id = m.author_id""")) {
            claim.setTimestamp(1, Timestamp.from(now));
            claim.setInt(2, config.batchSize());
            claim.setTimestamp(3, Timestamp.from(now.plus(config.timeout().multipliedBy(3))));
            List<Due> due = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    UUID conversation = rows.getObject(2, UUID.class);
                    PushPayloads.Facts facts = null;
                    if (!rows.getBoolean(17)) {
                        String author = rows.getString(13);
                        String title = "direct".equals(rows.getString(11)) ? author : rows.getString(12);
                        facts = new PushPayloads.Facts(conversation, title, rows.getInt(3),
                                rows.getObject(6, UUID.class), rows.getLong(16), author, rows.getString(14),
                                rows.getInt(15), rows.getBoolean(7));
                    }
                    due.add(new Due(rows.getObject(1, UUID.class), conversation, rows.getInt(3), rows.getInt(4),
                            rows.getTimestamp(5).toInstant(), rows.getString(18), rows.getString(8), rows.getBytes(9),
                            rows.getBytes(10), facts));
                }
            }
            return due;
        }
    }

    /**
     * Settles a batch in three statements at most: what was handed over (or had nothing to say) is subtracted and
     * the rest waits a coalescing interval; ended subscriptions' devices go; failures wait their backoff, or are
     * dropped past the give-up time.
     */
    private void settle(Connection connection, List<Settled> batch) throws SQLException {
        Instant now = clock.instant();
        List<Settled> done = batch.stream().filter(s -> s.outcome() == PushSender.Outcome.DELIVERED).toList();
        List<Settled> gone = batch.stream().filter(s -> s.outcome() == PushSender.Outcome.GONE).toList();
        List<Settled> failures = batch.stream().filter(s -> s.outcome() == PushSender.Outcome.FAILED).toList();
        done.stream().filter(Settled::pushed).forEach(s -> delivered.increment());
        gone.forEach(s -> this.gone.increment());
        failures.forEach(s -> failed.increment());
        if (!done.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("""
                    update push_notifications n set pending = greatest(0, n.pending - t.sent), attempts = 0,
                           last_error = null,
                           last_pushed_at = case when t.pushed then ?::timestamptz else n.last_pushed_at end,
                           due_at = case when n.pending - t.sent > 0 then ?::timestamptz end,
                           first_queued_at = case when n.pending - t.sent > 0 then ?::timestamptz end
                      from unnest(?::uuid[], ?::uuid[], ?::int[], ?::boolean[]) t(device, conversation, sent, pushed)
                     where n.device_id = t.device and n.conversation_id = t.conversation""")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setTimestamp(2, Timestamp.from(now.plus(config.coalesce())));
                update.setTimestamp(3, Timestamp.from(now));
                update.setArray(4, SqlArrays.uuids(connection, done.stream().map(s -> s.due().deviceId()).toList()));
                update.setArray(5, SqlArrays.uuids(connection,
                        done.stream().map(s -> s.due().conversationId()).toList()));
                update.setArray(6, connection.createArrayOf("int4",
                        done.stream().map(s -> s.due().pending()).toArray()));
                update.setArray(7, connection.createArrayOf("bool", done.stream().map(Settled::pushed).toArray()));
                update.executeUpdate();
            }
            try (PreparedStatement devices = connection.prepareStatement(
                    "update push_devices set last_pushed_at = ? where id = any(?)")) {
                devices.setTimestamp(1, Timestamp.from(now));
                devices.setArray(2, SqlArrays.uuids(connection, done.stream().filter(Settled::pushed)
                        .map(s -> s.due().deviceId()).distinct().toList()));
                devices.executeUpdate();
            }
        }
        if (!gone.isEmpty()) {
            try (PreparedStatement remove = connection.prepareStatement(
                    "delete from push_devices where id = any(?)")) {
                remove.setArray(1, SqlArrays.uuids(connection, gone.stream().map(s -> s.due().deviceId()).toList()));
                remove.executeUpdate();
            }
        }
        for (Settled failure : failures) {
            Due due = failure.due();
            boolean giveUp = due.firstQueued().plus(config.giveUpAfter()).isBefore(now);
            String error = failure.error() == null ? "failed" : failure.error();
            try (PreparedStatement retry = connection.prepareStatement("""
                    update push_notifications set attempts = attempts + 1, last_error = ?,
                           pending = case when ? then 0 else pending end,
                           due_at = case when ? then null else ?::timestamptz end
                     where device_id = ? and conversation_id = ?""")) {
                retry.setString(1, error.substring(0, Math.min(500, error.length())));
                retry.setBoolean(2, giveUp);
                retry.setBoolean(3, giveUp);
                retry.setTimestamp(4, Timestamp.from(now.plus(backoff(due.attempts()))));
                retry.setObject(5, due.deviceId());
                retry.setObject(6, due.conversationId());
                retry.executeUpdate();
            }
        }
    }

    private Duration backoff(int attemptsBefore) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(20, attemptsBefore));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}
