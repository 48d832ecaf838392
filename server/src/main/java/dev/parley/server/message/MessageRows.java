package dev.parley.server.message;

import static dev.parley.server.common.SqlArrays.ints;
import static dev.parley.server.common.SqlArrays.longs;
import static dev.parley.server.common.SqlArrays.texts;
import static dev.parley.server.common.SqlArrays.uuids;

import dev.parley.server.common.RoundTrip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** New messages written to the messages table, many in one statement. */
final class MessageRows {

    private static final String INSERT = """
            with sent as (
                insert into messages (id, conversation_id, sequence, author_id, client_message_id, text, reply_to_id,
                                      thread_root_id, mentions, attachment_count, created_at)
                select u.id, u.conversation_id, u.sequence, u.author_id, u.client_message_id, u.text, u.reply_to_id,
                       u.thread_root_id, u.mentions::uuid[], u.attachment_count, ?
                  from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::uuid[],
                              ?::uuid[], ?::text[], ?::smallint[])
                       as u(id, conversation_id, sequence, author_id, client_message_id, text, reply_to_id,
                            thread_root_id, mentions, attachment_count)
                  join memberships m on m.conversation_id = u.conversation_id and m.account_id = u.author_id
                  join conversations c on c.id = u.conversation_id and c.archived_at is null
                on conflict (author_id, client_message_id) do nothing
                returning conversation_id, author_id, sequence),
            read as (
                update memberships m set read_sequence = greatest(m.read_sequence, r.up_to)
                  from (select conversation_id, author_id, max(sequence) as up_to from sent group by 1, 2) r
                 where m.conversation_id = r.conversation_id and m.account_id = r.author_id)
            select count(*) from sent""";

    private MessageRows() {
    }

    /** How many messages an {@link #insert} part wrote, once its trip has run. */
    static final class Inserted {
        private int count;

        int count() {
            return count;
        }
    }

    /**
     * Inserts the messages whose author, now that the conversations are locked, is still a member of a conversation
     * that is not archived, and whose client_message_id is new; each author's read position moves to their newest
     * message (they have read what they wrote). One statement, run after the lock, so a removal or an archive that
     * committed just before is seen. Counts what it inserted: fewer than given means the batch must not commit.
     */
    static RoundTrip.Part insert(List<NewMessage> messages, Instant now, Inserted inserted) {
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return INSERT;
            }

            @Override
            public int bind(Connection connection, PreparedStatement insert, int first) throws SQLException {
                insert.setTimestamp(first, Timestamp.from(now));
                insert.setArray(first + 1, uuids(connection, messages.stream().map(NewMessage::id).toList()));
                insert.setArray(first + 2, uuids(connection, column(messages, SendRequest::conversationId)));
                insert.setArray(first + 3, longs(connection, messages.stream().map(NewMessage::sequence).toList()));
                insert.setArray(first + 4, uuids(connection, column(messages, SendRequest::authorId)));
                insert.setArray(first + 5, texts(connection, column(messages, SendRequest::clientMessageId)));
                insert.setArray(first + 6, texts(connection, column(messages, SendRequest::text)));
                insert.setArray(first + 7, uuids(connection, column(messages, SendRequest::replyToId)));
                insert.setArray(first + 8, uuids(connection, messages.stream().map(NewMessage::threadRootId).toList()));
                insert.setArray(first + 9, texts(connection, messages.stream().map(m -> arrayLiteral(m.mentions()))
                        .toList()));
                insert.setArray(first + 10, ints(connection, messages.stream()
                        .map(m -> m.request().attachmentIds().size()).toList()));
                return first + 11;
            }

            @Override
            public void read(ResultSet count, int updated) throws SQLException {
                count.next();
                inserted.count = count.getInt(1);
            }
        };
    }

    private static <T> List<T> column(List<NewMessage> messages, Function<SendRequest, T> field) {
        return messages.stream().map(m -> field.apply(m.request())).toList();
    }

    /** A uuid[] as text, since an array of arrays would be flattened by unnest. */
    private static String arrayLiteral(UUID[] ids) {
        return Arrays.stream(ids).map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }
}
