package dev.parley.server.message;

import dev.parley.server.common.SqlArrays;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Each member's count of unread messages that mention them (MyMembership.unread_mention_count), kept in the
 * transaction of whatever changes it: raised by a send for the members it mentions (only messages with mentions
 * cost a statement), moved by an edit that adds or drops a mention, lowered when such a message is deleted, and
 * recounted by the statement that moves the read position. A mention counts while its message is after the member's read position.
 */
@ApplicationScoped
class UnreadMentions implements SentInTransaction {

    private static final String CHANGE = """
            update memberships set unread_mentions = greatest(0, unread_mentions + ?1)
             where conversation_id = ?2 and account_id = any(?3) and account_id <> ?4 and read_sequence < ?5""";

    @Override
    public void sent(Connection connection, List<MessagePosted> batch) throws SQLException {
        for (MessagePosted posted : batch) {
            if (posted.mentioned().isEmpty()) {
                continue;
            }
            try (PreparedStatement raise = connection.prepareStatement(CHANGE.replaceAll("\\?[0-9]", "?"))) {
                raise.setInt(1, 1);
                raise.setObject(2, UUID.fromString(posted.message().getConversationId()));
                raise.setArray(3, SqlArrays.uuids(connection, posted.mentioned()));
                raise.setObject(4, posted.authorId());
                raise.setLong(5, posted.message().getSequence());
                raise.executeUpdate();
            }
        }
    }

    /** A message's mentions changed from {@code before} to {@code after} (an edit; a deletion drops them all). */
    static void changed(EntityManager entities, ChatMessage message, UUID[] before, UUID[] after) {
        Set<UUID> added = new HashSet<>(Arrays.asList(after));
        Arrays.asList(before).forEach(added::remove);
        Set<UUID> dropped = new HashSet<>(Arrays.asList(before));
        Arrays.asList(after).forEach(dropped::remove);
        change(entities, message, added, 1);
        change(entities, message, dropped, -1);
    }

    private static void change(EntityManager entities, ChatMessage message, Set<UUID> members, int by) {
        if (!members.isEmpty()) {
            entities.createNativeQuery(CHANGE).setParameter(1, by).setParameter(2, message.conversationId)
                    .setParameter(3, members.toArray(UUID[]::new)).setParameter(4, message.authorId)
                    .setParameter(5, message.sequence).executeUpdate();
        }
    }

    /**
     * The member's count for a read position (an SQL expression, %s): the mentions after it, of messages not
     * deleted. MarkRead sets it in the statement that moves the position (memberships row {@code m}).
     */
    static final String AFTER_POSITION = """
            (select count(*) from messages x where x.conversation_id = m.conversation_id and x.sequence > %s
                and x.mentions @> array[m.account_id] and x.deleted_at is null)""";
}
