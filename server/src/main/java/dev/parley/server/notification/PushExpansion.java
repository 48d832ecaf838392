package dev.parley.server.notification;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import dev.parley.server.common.SqlArrays;
import dev.parley.server.live.PresenceSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Stage one to stage two: claims queued messages (SKIP LOCKED, so every node can help), finds who each notifies
 * (level and mute, in SQL), keeps those who are away at this moment (no open stream, or status away), and adds the
 * messages to each of their devices' pending notification for the conversation, in the transaction that deletes
 * the queued rows: a node dying half-way leaves the rows queued for another.
 */
@ApplicationScoped
class PushExpansion {

    /** Queued messages claimed at once. */
    static final int BATCH = 200;

    private final DataSource database;
    private final PresenceSource presence;
    private final NotificationConfig config;
    private final Clock clock;

    private final java.util.Set<String> kinds = new java.util.TreeSet<>();

    PushExpansion(DataSource database, PresenceSource presence, NotificationConfig config, Clock clock,
            jakarta.enterprise.inject.Instance<PushSender> senders) {
        this.database = database;
        senders.forEach(sender -> kinds.add(sender.kind()));
        this.presence = presence;
        this.config = config;
        this.clock = clock;
    }

    /** One recipient device of one message. */
    private record Recipient(UUID messageId, UUID conversationId, UUID deviceId, UUID accountId, boolean mention) {
    }

    /** What a device is to be told of a conversation, gathered over the messages of one batch. */
    private static final class Pending {
        int count;
        UUID newest;
        boolean mention;
    }

    /** Moves one batch; returns how many queued messages it took (0: nothing was queued). */
    int expandBatch() throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<UUID> claimed = claim(connection);
                if (claimed.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                List<Recipient> recipients = recipients(connection, claimed);
                Set<UUID> accounts = new HashSet<>();
                recipients.forEach(r -> accounts.add(r.accountId()));
                Map<UUID, Presence> presences = accounts.isEmpty() ? Map.of() : presence.presenceOf(accounts);
                // In one order on every node, so that two nodes adding to the same rows wait for each other rather
                // than deadlock.
                Map<List<UUID>, Pending> pending = new TreeMap<>(Comparator.<List<UUID>, UUID>comparing(k -> k.get(0))
                        .thenComparing(k -> k.get(1)));
                for (Recipient recipient : recipients) {
                    if (!away(presences.get(recipient.accountId()))) {
                        continue;
                    }
                    Pending p = pending.computeIfAbsent(List.of(recipient.deviceId(), recipient.conversationId()),
                            key -> new Pending());
                    p.count++;
                    p.newest = recipient.messageId();
                    p.mention |= recipient.mention();
                }
                add(connection, pending);
                connection.commit();
                return claimed.size();
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** Away: no open stream anywhere, or online with the status away. Do-not-disturb and online are not. */
    private static boolean away(Presence presence) {
        return presence == null || presence.getState() == PresenceState.PRESENCE_STATE_OFFLINE
                || presence.getState() == PresenceState.PRESENCE_STATE_AWAY;
    }

    private static List<UUID> claim(Connection connection) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement("""
                delete from push_queue where message_id in (select message_id from push_queue order by queued_at
                 limit ? for update skip locked) returning message_id""")) {
            claim.setInt(1, BATCH);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /**
     * Each device of each member a message notifies by their level (the conversation's, or their account's default
     * where it follows that): everything; or mentions, which a direct message always is. Not its author, not a
     * muted conversation, not a deleted message; oldest message first, so the newest is the last a device gets.
     * Only devices of a kind with a {@link PushSender}: FCM and APNs tokens wait for a deployment's sender.
     */
    private List<Recipient> recipients(Connection connection, List<UUID> messages) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                select m.id, m.conversation_id, d.id, s.account_id, s.account_id = any(m.mentions) or c.kind = 'direct'
                  from messages m
                  join conversations c on c.id = m.conversation_id
                  join memberships s on s.conversation_id = m.conversation_id and s.account_id <> m.author_id
                                    and not s.muted
                  join accounts a on a.id = s.account_id and a.active
                  join push_devices d on d.account_id = s.account_id and d.kind = any(?)
                 where m.id = any(?) and m.deleted_at is null
                   and case case when s.notification_level = 'default' then a.notification_level
                                 else s.notification_level end
                         when 'everything' then true
                         when 'mentions' then s.account_id = any(m.mentions) or c.kind = 'direct'
                         else false end
                 order by m.sequence""")) {
            query.setArray(1, SqlArrays.texts(connection, kinds));
            query.setArray(2, SqlArrays.uuids(connection, messages));
            List<Recipient> recipients = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    recipients.add(new Recipient(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), rows.getObject(4, UUID.class), rows.getBoolean(5)));
                }
            }
            return recipients;
        }
    }

    /**
     * Adds to each device's notification for the conversation. One still waiting gathers the new messages (its
     * time stays); a new one is due now, or a coalescing interval after that device's last push for it.
     */
    private void add(Connection connection, Map<List<UUID>, Pending> pending) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<UUID> devices = new ArrayList<>();
        List<UUID> conversations = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<UUID> newest = new ArrayList<>();
        List<Boolean> mentions = new ArrayList<>();
        pending.forEach((key, p) -> {
            devices.add(key.get(0));
            conversations.add(key.get(1));
            counts.add(p.count);
            newest.add(p.newest);
            mentions.add(p.mention);
        });
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into push_notifications as n (device_id, conversation_id, pending, message_id, mention, due_at,
                                                     first_queued_at, attempts)
                select t.device, t.conversation, t.count, t.newest, t.mention, ?, ?, 0
                  from unnest(?::uuid[], ?::uuid[], ?::int[], ?::uuid[], ?::boolean[])
                       t(device, conversation, count, newest, mention)
                on conflict (device_id, conversation_id) do update set
                   pending = n.pending + excluded.pending,
                   message_id = excluded.message_id,
                   mention = (n.pending > 0 and n.mention) or excluded.mention,
                   due_at = case when n.pending > 0 then n.due_at
                                 else greatest(excluded.due_at, n.last_pushed_at + ?::interval) end,
                   first_queued_at = case when n.pending > 0 then n.first_queued_at else excluded.first_queued_at end,
                   attempts = case when n.pending > 0 then n.attempts else 0 end""")) {
            upsert.setTimestamp(1, Timestamp.from(now));
            upsert.setTimestamp(2, Timestamp.from(now));
            upsert.setArray(3, SqlArrays.uuids(connection, devices));
            upsert.setArray(4, SqlArrays.uuids(connection, conversations));
            upsert.setArray(5, connection.createArrayOf("int4", counts.toArray()));
            upsert.setArray(6, SqlArrays.uuids(connection, newest));
            upsert.setArray(7, connection.createArrayOf("bool", mentions.toArray()));
            upsert.setString(8, config.coalesce().toMillis() + " milliseconds");
            upsert.executeUpdate();
        }
    }
}
