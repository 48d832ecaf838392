package dev.parley.server.notification;

import dev.parley.server.common.SqlArrays;
import dev.parley.server.message.MessagePosted;
import dev.parley.server.message.SentInTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Stage one of the push outbox, inside the send's transaction: one row per new message of a conversation where
 * any member has a device, so that a notification exists exactly when its message does, and a message to a room of
 * a thousand costs its send one small insert (who is told is decided afterwards, by {@link PushExpansion}). Sends
 * pay nothing while nobody has a device: whether anyone has is checked at most every 10 seconds (at once on this
 * node when one registers).
 */
@ApplicationScoped
class PushQueue implements SentInTransaction {

    private static final Duration RECHECK = Duration.ofSeconds(10);
    private final Clock clock;
    private volatile boolean anyDevices = true;
    private volatile Instant checkedAt = Instant.EPOCH;

    PushQueue(Clock clock) {
        this.clock = clock;
    }

    /** A device was registered on this node: sends queue again from now on. */
    void deviceRegistered() {
        anyDevices = true;
    }

    @Override
    public void sent(Connection connection, List<MessagePosted> batch) throws SQLException {
        if (!mayHaveWork(connection)) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into push_queue (message_id, conversation_id, queued_at)
                select t.message_id, t.conversation_id, ?
                  from unnest(?::uuid[], ?::uuid[]) t(message_id, conversation_id)
                 where exists (select 1 from memberships m join push_devices d on d.account_id = m.account_id
                                where m.conversation_id = t.conversation_id)""")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setArray(2, SqlArrays.uuids(connection, batch.stream()
                    .map(posted -> UUID.fromString(posted.message().getId())).toList()));
            insert.setArray(3, SqlArrays.uuids(connection, batch.stream()
                    .map(posted -> UUID.fromString(posted.message().getConversationId())).toList()));
            insert.executeUpdate();
        }
    }

    private boolean mayHaveWork(Connection connection) throws SQLException {
        Instant now = clock.instant();
        if (now.isAfter(checkedAt.plus(RECHECK))) {
            try (PreparedStatement any = connection.prepareStatement(
                    "select exists (select 1 from push_devices)"); ResultSet row = any.executeQuery()) {
                row.next();
                anyDevices = row.getBoolean(1);
            }
            checkedAt = now;
        }
        return anyDevices;
    }
}
