package dev.parley.server.message;

import static dev.parley.server.common.SqlArrays.texts;
import static dev.parley.server.common.SqlArrays.uuids;

import dev.parley.api.v1.Attachment;
import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.common.RoundTrip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a batch of sends needs to know before it claims numbers, read in as few statements as the batch allows and
 * without locks (claiming takes them): who may write where, which sends were made before, the messages replied to
 * and the members mentioned. The insert checks membership again once the conversations are locked.
 */
final class SendChecks {

    /** A message replied to: where it is, and the thread a reply to it joins. */
    record Parent(UUID conversationId, UUID thread) {
    }

    private final Set<String> writers = new HashSet<>();
    private final Set<String> earlier = new HashSet<>();
    private final Map<UUID, Parent> parents;
    private final Map<UUID, Map<String, UUID>> mentionable;
    private final Map<UUID, MessageAttachments.Sendable> attachments;

    private SendChecks(Map<UUID, Parent> parents, Map<UUID, Map<String, UUID>> mentionable,
            Map<UUID, MessageAttachments.Sendable> attachments) {
        this.parents = parents;
        this.mentionable = mentionable;
        this.attachments = attachments;
    }

    /** Starts the checks with what the sends refer to (read at once, and only when some send has replies, mentions
     * or attachments); who may write is read by {@link #writersAndEarlier}. */
    static SendChecks referenced(Connection connection, List<SendRequest> sends) throws SQLException {
        return new SendChecks(parents(connection, sends), mentionable(connection, sends),
                MessageAttachments.sendable(connection, sends.stream().flatMap(s -> s.attachmentIds().stream())
                        .distinct().toList()));
    }

    /** Whether each of the send's files can be sent by its author to its conversation. */
    boolean attachmentsSendable(SendRequest send) {
        return send.attachmentIds().stream().allMatch(id -> attachments.containsKey(id)
                && attachments.get(id).sendableBy(send.authorId(), send.conversationId()));
    }

    /** The send's files as its message shows them, in order (all of them sendable). */
    List<Attachment> attachments(SendRequest send) {
        return send.attachmentIds().stream().map(id -> attachments.get(id).view()).toList();
    }

    /** Whether the author is a member of the conversation and it is not archived. */
    boolean mayWrite(SendRequest send) {
        return writers.contains(send.conversationId() + "/" + send.authorId());
    }

    /** Whether the author made this send before. */
    boolean madeBefore(SendRequest send) {
        return earlier.contains(send.idempotencyKey());
    }

    /** The message replied to, or null when there is none or no such message. */
    Parent parent(SendRequest send) {
        return send.replyToId() == null ? null : parents.get(send.replyToId());
    }

    /** The username and id of each member of the conversation that some send there mentions. */
    Map<String, UUID> mentionable(UUID conversationId) {
        return mentionable.getOrDefault(conversationId, Map.of());
    }

    /** Members of unarchived conversations among the authors, and the sends already made: one statement. */
    RoundTrip.Part writersAndEarlier(List<SendRequest> sends) {
        return new RoundTrip.Part() {
            @Override
            public String sql() {
                return """
                        select u.conversation_id, u.author_id, null
                          from unnest(?::uuid[], ?::uuid[]) as u(conversation_id, author_id)
                          join memberships m on m.conversation_id = u.conversation_id and m.account_id = u.author_id
                          join conversations c on c.id = u.conversation_id and c.archived_at is null
                        union all
                        select null, m.author_id, m.client_message_id
                          from unnest(?::uuid[], ?::text[]) as u(author_id, client_message_id)
                          join messages m on m.author_id = u.author_id and m.client_message_id = u.client_message_id""";
            }

            @Override
            public int bind(Connection connection, PreparedStatement query, int first) throws SQLException {
                List<UUID> authors = sends.stream().map(SendRequest::authorId).toList();
                query.setArray(first, uuids(connection, sends.stream().map(SendRequest::conversationId).toList()));
                query.setArray(first + 1, uuids(connection, authors));
                query.setArray(first + 2, uuids(connection, authors));
                query.setArray(first + 3, texts(connection, sends.stream().map(SendRequest::clientMessageId).toList()));
                return first + 4;
            }

            @Override
            public void read(ResultSet rows, int updated) throws SQLException {
                while (rows.next()) {
                    UUID author = rows.getObject(2, UUID.class);
                    String clientId = rows.getString(3);
                    if (clientId == null) {
                        writers.add(rows.getObject(1, UUID.class) + "/" + author);
                    } else {
                        earlier.add(SendRequest.idempotencyKey(author, clientId));
                    }
                }
            }
        };
    }

    private static Map<UUID, Parent> parents(Connection connection, List<SendRequest> sends) throws SQLException {
        List<UUID> ids = sends.stream().map(SendRequest::replyToId).filter(id -> id != null).distinct().toList();
        Map<UUID, Parent> parents = new HashMap<>();
        if (ids.isEmpty()) {
            return parents;
        }
        try (PreparedStatement query = connection.prepareStatement(
                "select id, conversation_id, coalesce(thread_root_id, id) from messages where id = any(?::uuid[])")) {
            query.setArray(1, uuids(connection, ids));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    parents.put(rows.getObject(1, UUID.class),
                            new Parent(rows.getObject(2, UUID.class), rows.getObject(3, UUID.class)));
                }
            }
        }
        return parents;
    }

    /** For each conversation, the username and id of each member some send there mentions. */
    private static Map<UUID, Map<String, UUID>> mentionable(Connection connection, List<SendRequest> sends)
            throws SQLException {
        List<UUID> conversations = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SendRequest send : sends) {
            for (String name : Mentions.names(send.text())) {
                conversations.add(send.conversationId());
                names.add(name);
            }
        }
        Map<UUID, Map<String, UUID>> members = new HashMap<>();
        if (names.isEmpty()) {
            return members;
        }
        try (PreparedStatement query = connection.prepareStatement("""
                select distinct u.conversation_id, a.username, a.id
                  from unnest(?::uuid[], ?::text[]) as u(conversation_id, username)
                  join accounts a on a.username = u.username
                  join memberships m on m.account_id = a.id and m.conversation_id = u.conversation_id""")) {
            query.setArray(1, uuids(connection, conversations));
            query.setArray(2, texts(connection, names));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    members.computeIfAbsent(rows.getObject(1, UUID.class), c -> new HashMap<>())
                            .put(rows.getString(2), rows.getObject(3, UUID.class));
                }
            }
        }
        return members;
    }
}
