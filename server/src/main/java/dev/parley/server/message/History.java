package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.server.conversation.Access;
import dev.parley.server.conversation.LastMessages;
import dev.parley.server.conversation.StoredConversation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reading messages. Pages walk the (conversation_id, sequence) index from a cursor, so a page costs the same at
 * the millionth message as at the first.
 */
@ApplicationScoped
class History implements LastMessages {

    /** Messages in increasing sequence order, and whether more lie beyond in the direction read. */
    record Page(List<Message> messages, boolean hasMore) {
    }

    /** A thread's first message and a page of its replies. */
    record Thread(Message root, List<Message> replies, boolean hasMore) {
    }

    private final MessageViews views;

    History(MessageViews views) {
        this.views = views;
    }

    /** Before a sequence (newest first when before is null), or after one; returned oldest first either way. */
    Page list(UUID readerId, UUID conversationId, Long before, Long after, int pageSize) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Access.asMember(readerId, conversationId);
            List<ChatMessage> rows = after != null
                    ? ChatMessage.<ChatMessage>find("conversationId = ?1 and sequence > ?2 order by sequence",
                            conversationId, after).range(0, pageSize).list()
                    : ChatMessage.<ChatMessage>find("conversationId = ?1 and sequence < ?2 order by sequence desc",
                            conversationId, before == null ? Long.MAX_VALUE : before).range(0, pageSize).list();
            boolean hasMore = rows.size() > pageSize;
            List<ChatMessage> page = new ArrayList<>(hasMore ? rows.subList(0, pageSize) : rows);
            if (after == null) {
                Collections.reverse(page);
            }
            return new Page(views.of(page, readerId), hasMore);
        });
    }

    Thread thread(UUID readerId, UUID messageId, long after, int pageSize) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatMessage any = visible(readerId, messageId);
            ChatMessage root = any.threadRootId == null ? any : ChatMessage.findById(any.threadRootId);
            List<ChatMessage> rows = ChatMessage.<ChatMessage>find(
                    "threadRootId = ?1 and sequence > ?2 order by sequence", root.id, after)
                    .range(0, pageSize).list();
            boolean hasMore = rows.size() > pageSize;
            return new Thread(views.of(root, readerId), views.of(hasMore ? rows.subList(0, pageSize) : rows,
                    readerId), hasMore);
        });
    }

    Message get(UUID readerId, UUID messageId) {
        return QuarkusTransaction.requiringNew().call(() -> views.of(visible(readerId, messageId), readerId));
    }

    @Override
    public Map<UUID, Message> of(UUID readerId, Collection<StoredConversation> conversations) {
        List<UUID> ids = conversations.stream().filter(c -> c.lastMessageSequence > 0).map(c -> c.id).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Long> wanted = new HashMap<>();
        conversations.forEach(c -> wanted.put(c.id, c.lastMessageSequence));
        List<ChatMessage> last = ChatMessage.<ChatMessage>list("conversationId in ?1 and sequence in ?2", ids,
                wanted.values()).stream().filter(m -> wanted.get(m.conversationId) == m.sequence).toList();
        Map<UUID, Message> byConversation = new HashMap<>();
        views.of(last, readerId).forEach(m -> byConversation.put(UUID.fromString(m.getConversationId()), m));
        return byConversation;
    }

    /** The message if the reader is a member of its conversation; NOT_FOUND otherwise, as if it did not exist. */
    private static ChatMessage visible(UUID readerId, UUID messageId) {
        ChatMessage message = Messages.locate(messageId);
        Access.toMessage(readerId, message.conversationId, messageId);
        return message;
    }
}
