package dev.parley.server.log;

import static dev.parley.server.common.SqlArrays.bytes;
import static dev.parley.server.common.SqlArrays.ints;
import static dev.parley.server.common.SqlArrays.longs;
import static dev.parley.server.common.SqlArrays.uuids;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.server.common.RoundTrip;
import dev.parley.server.grpc.ProtoTime;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The log written many events at a time, as statements of a plain JDBC transaction that the caller commits: the
 * group-committed send path's half of {@link EventLog}. The same rules hold: numbers are claimed by incrementing
 * each conversation's counter under its row lock, in the transaction that writes the events, so a rollback gives
 * them all back and the log stays gap-free. The statements are {@link RoundTrip} parts, to share trips with the
 * caller's own.
 */
@ApplicationScoped
public class BatchAppends {

    private final CommittedEvents committed;

    BatchAppends(CommittedEvents committed) {
        this.committed = committed;
    }

    /** The first of the numbers a {@link #claimMessages} part claimed, per conversation, once its trip has run. */
    public static final class Claimed {
        private final Map<UUID, Long> first = new HashMap<>();

        /** Null for a conversation that does not exist. */
        public Long first(UUID conversationId) {
            return first.get(conversationId);
        }
    }

    /**
     * Locks the conversations' rows in id order, the order every batch takes them in, so that two batches on two
     * nodes that share conversations wait for each other instead of deadlocking ({@link #claimMessages} alone
     * would lock them in whatever order its plan visits them). Needed only when a batch has several.
     */
    public static RoundTrip.Part lockInOrder(Collection<UUID> conversationIds) {
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return "select id from conversations where id = any(?::uuid[]) order by id for no key update";
            }

            @Override
            public int bind(Connection connection, PreparedStatement lock, int first) throws SQLException {
                lock.setArray(first, uuids(connection, conversationIds));
                return first + 1;
            }

            @Override
            public void read(ResultSet rows, int updated) {
            }
        };
    }

    /**
     * Claims {@code count} consecutive numbers for new messages in each conversation, locking the rows until the
     * transaction ends.
     */
    public static RoundTrip.Part claimMessages(SortedMap<UUID, Integer> counts, Instant now, Claimed claimed) {
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return """
                        update conversations c
                           set last_sequence = c.last_sequence + v.n, last_message_sequence = c.last_sequence + v.n,
                               last_activity_at = ?
                          from unnest(?::uuid[], ?::integer[]) as v(id, n)
                         where c.id = v.id
                        returning c.id, c.last_sequence - v.n + 1""";
            }

            @Override
            public int bind(Connection connection, PreparedStatement claim, int first) throws SQLException {
                claim.setTimestamp(first, Timestamp.from(now));
                claim.setArray(first + 1, uuids(connection, counts.keySet()));
                claim.setArray(first + 2, ints(connection, counts.values()));
                return first + 3;
            }

            @Override
            public void read(ResultSet rows, int updated) throws SQLException {
                while (rows.next()) {
                    claimed.first.put(rows.getObject(1, UUID.class), rows.getLong(2));
                }
            }
        };
    }

    /** Writes events whose numbers were claimed in this transaction; {@code messageIds} pairs with them. */
    public static RoundTrip.Part record(List<ConversationEvent> events, List<UUID> messageIds, Instant now) {
        List<UUID> conversations = new ArrayList<>(events.size());
        List<Long> sequences = new ArrayList<>(events.size());
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (ConversationEvent event : events) {
            conversations.add(UUID.fromString(event.getConversationId()));
            sequences.add(event.getSequence());
            payloads.add(event.toByteArray());
        }
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return """
                        insert into conversation_events (conversation_id, sequence, message_id, created_at, payload)
                        select e.conversation_id, e.sequence, e.message_id, ?, e.payload
                          from unnest(?::uuid[], ?::bigint[], ?::uuid[], ?::bytea[])
                               as e(conversation_id, sequence, message_id, payload)""";
            }

            @Override
            public int bind(Connection connection, PreparedStatement insert, int first) throws SQLException {
                insert.setTimestamp(first, Timestamp.from(now));
                insert.setArray(first + 1, uuids(connection, conversations));
                insert.setArray(first + 2, longs(connection, sequences));
                insert.setArray(first + 3, uuids(connection, messageIds));
                insert.setArray(first + 4, bytes(connection, payloads));
                return first + 5;
            }

            @Override
            public void read(ResultSet rows, int updated) {
            }
        };
    }

    /** An event's common part: the change itself is for the caller to set. */
    public static ConversationEvent.Builder event(UUID conversationId, long sequence, UUID actorId, Instant time) {
        return ConversationEvent.newBuilder()
                .setSequence(sequence)
                .setConversationId(conversationId.toString())
                .setTime(ProtoTime.of(time))
                .setActorId(actorId.toString());
    }

    /** Hands events to the live feature once their transaction has committed, in the order they were written. */
    public void committed(List<ConversationEvent> events) {
        events.forEach(committed::committed);
    }
}
