package dev.parley.server.attachment;

import static dev.parley.server.common.SqlArrays.ints;
import static dev.parley.server.common.SqlArrays.uuids;

import dev.parley.api.v1.Attachment;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.RoundTrip;
import dev.parley.server.grpc.ProtoTime;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Attachments as messages meet them: checked before a send, claimed by the send's own transaction, and shown with
 * the messages that carry them. A file can be sent once, by its uploader, to the conversation it was uploaded for,
 * once completed; any other use is answered as if it did not exist, so an id cannot be used to probe for others'.
 */
public final class MessageAttachments {

    /** The most attachments one message carries. */
    public static final int MAX_PER_MESSAGE = 10;

    private static final String COLUMNS = """
            id, owner_id, conversation_id, name, size_bytes, media_type, width, height, thumbnail_bytes > 0, sha256,
            completed_at, message_id is null and gone_at is null and completed_at is not null""";

    /** An attachment as a send sees it: whose, where for, whether it can still be sent, and its view. */
    public record Sendable(UUID owner, UUID conversationId, boolean free, Attachment view) {

        public boolean sendableBy(UUID author, UUID conversation) {
            return free && owner.equals(author) && conversation.equals(conversationId);
        }
    }

    private MessageAttachments() {
    }

    /** The attachments named by some sends, by id, read without locks (the claim checks again). */
    public static Map<UUID, Sendable> sendable(Connection connection, List<UUID> ids) throws SQLException {
        Map<UUID, Sendable> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (PreparedStatement query = connection.prepareStatement(
                "select " + COLUMNS + " from attachments where id = any(?::uuid[])")) {
            query.setArray(1, uuids(connection, ids));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getObject(1, UUID.class), new Sendable(rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), rows.getBoolean(12), view(rows)));
                }
            }
        }
        return found;
    }

    /** How many attachments a {@link #claim} part took, once its trip has run. */
    public static final class Claimed {
        private int count;

        public int count() {
            return count;
        }
    }

    /**
     * Gives each message its attachments, in order, if they are still free: after the messages' insert, in the same
     * transaction. Fewer claimed than given means another send took one meanwhile, and the batch must not commit.
     */
    public static RoundTrip.Part claim(List<UUID> messageIds, List<List<UUID>> attachmentIds, Claimed claimed) {
        List<UUID> messages = new ArrayList<>();
        List<UUID> attachments = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < messageIds.size(); i++) {
            for (int position = 0; position < attachmentIds.get(i).size(); position++) {
                messages.add(messageIds.get(i));
                attachments.add(attachmentIds.get(i).get(position));
                positions.add(position);
            }
        }
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return """
                        update attachments a set message_id = u.message_id, message_position = u.position
                          from unnest(?::uuid[], ?::uuid[], ?::int[]) as u(attachment_id, message_id, position)
                         where a.id = u.attachment_id and a.message_id is null and a.gone_at is null
                           and a.completed_at is not null""";
            }

            @Override
            public int bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
                statement.setArray(first, uuids(connection, attachments));
                statement.setArray(first + 1, uuids(connection, messages));
                statement.setArray(first + 2, ints(connection, positions));
                return first + 3;
            }

            @Override
            public void read(ResultSet rows, int updated) {
                claimed.count = updated;
            }
        };
    }

    /** How many attachments the claim is expected to take. */
    public static int count(List<List<UUID>> attachmentIds) {
        return attachmentIds.stream().mapToInt(List::size).sum();
    }

    /**
     * INVALID_ARGUMENT naming the first attachment the author cannot send here (reason ATTACHMENT_UNAVAILABLE),
     * whatever the cause: unknown, another's, for another conversation, not completed, sent already, or gone.
     */
    public static void requireSendable(EntityManager entities, UUID author, UUID conversation, List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<UUID, Sendable> found = entities.unwrap(Session.class).doReturningWork(c -> sendable(c, ids));
        for (int i = 0; i < ids.size(); i++) {
            Sendable attachment = found.get(ids.get(i));
            if (attachment == null || !attachment.sendableBy(author, conversation)) {
                throw unavailable(i);
            }
        }
    }

    /**
     * Hides a deleted message's files from everyone at once, in the deletion's transaction; AttachmentPurge deletes
     * their bytes later.
     */
    public static void gone(EntityManager entities, UUID messageId, Instant now) {
        entities.createNativeQuery("update attachments set gone_at = ?1 where message_id = ?2 and gone_at is null")
                .setParameter(1, now).setParameter(2, messageId).executeUpdate();
    }

    public static ParleyException unavailable(int index) {
        return ParleyException.invalid("ATTACHMENT_UNAVAILABLE", "attachment_ids[" + index + "]",
                "is not a completed upload of yours for this conversation that is still unsent");
    }

    /** The attachments of these messages, each message's in the order they were sent; messages without any absent. */
    public static Map<UUID, List<Attachment>> of(Connection connection, List<UUID> messageIds) throws SQLException {
        Map<UUID, List<Attachment>> found = new LinkedHashMap<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement query = connection.prepareStatement("select " + COLUMNS + """
                , message_id from attachments where message_id = any(?::uuid[]) and gone_at is null
                 order by message_id, message_position""")) {
            query.setArray(1, uuids(connection, messageIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.computeIfAbsent(rows.getObject(13, UUID.class), id -> new ArrayList<>()).add(view(rows));
                }
            }
        }
        return found;
    }

    private static Attachment view(ResultSet row) throws SQLException {
        var view = Attachment.newBuilder()
                .setId(row.getObject(1, UUID.class).toString())
                .setName(row.getString(4))
                .setSizeBytes(row.getLong(5))
                .setMediaType(row.getString(6) == null ? "" : row.getString(6))
                .setWidth(row.getInt(7))
                .setHeight(row.getInt(8))
                .setHasThumbnail(row.getBoolean(9))
                .setSha256(row.getString(10));
        Timestamp completed = row.getTimestamp(11);
        if (completed != null) {
            view.setCreateTime(ProtoTime.of(completed.toInstant()));
        }
        return view.build();
    }
}
