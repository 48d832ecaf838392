package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.api.v1.MessageDeleted;
import dev.parley.server.conversation.Access;
import dev.parley.server.conversation.Role;
import dev.parley.server.event.EventLog;
import dev.parley.server.grpc.Constraints;
import dev.parley.server.grpc.ParleyException;
import dev.parley.server.grpc.Violations;
import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/** Sending, editing and deleting messages; each change is logged in its own transaction. */
@ApplicationScoped
class Messages {

    private static final String IDEMPOTENCY_KEY = "messages_author_client_message_id_key";

    private final EventLog log;
    private final MessageViews views;
    private final EntityManager entities;
    private final Clock clock;

    Messages(EventLog log, MessageViews views, EntityManager entities, Clock clock) {
        this.log = log;
        this.views = views;
        this.entities = entities;
        this.clock = clock;
    }

    /**
     * Sends, or returns the message an earlier send with the same client_message_id created. The unique index on
     * (author, client_message_id) decides between concurrent retries, on any node: the loser's transaction,
     * sequence number included, rolls back and it answers with the winner's message.
     */
    Message send(UUID authorId, UUID conversationId, String clientMessageId, String text, UUID replyToId) {
        Violations violations = new Violations();
        MessageRules.clientMessageId(violations, clientMessageId);
        MessageRules.text(violations, text);
        violations.throwIfAny();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                long sequence = log.claim(conversationId, true);
                Access.asMember(authorId, conversationId).writable();
                ChatMessage message = new ChatMessage();
                message.id = UUID.randomUUID();
                message.conversationId = conversationId;
                message.sequence = sequence;
                message.authorId = authorId;
                message.clientMessageId = clientMessageId;
                message.text = text;
                message.mentions = Mentions.resolve(entities, conversationId, text);
                message.createdAt = clock.instant();
                if (replyToId != null) {
                    ChatMessage parent = inConversation(replyToId, conversationId);
                    message.replyToId = parent.id;
                    message.threadRootId = parent.threadForReplies();
                }
                message.persist();
                markReadByAuthor(conversationId, authorId, sequence);
                Message view = MessageViews.bare(message, views.usernames(Arrays.asList(message.mentions)));
                log.record(conversationId, sequence, authorId, message.id, event -> event.setMessageSent(view));
                return view;
            });
        } catch (RuntimeException e) {
            if (!Constraints.violated(e).filter(IDEMPOTENCY_KEY::equals).isPresent()) {
                throw e;
            }
            return earlierSend(authorId, conversationId, clientMessageId, text, replyToId);
        }
    }

    Message edit(UUID editorId, UUID messageId, String text) {
        Violations violations = new Violations();
        MessageRules.text(violations, text);
        violations.throwIfAny();
        return QuarkusTransaction.requiringNew().call(() -> {
            Target target = locked(editorId, messageId);
            ChatMessage message = target.message();
            if (!message.authorId.equals(editorId)) {
                throw ParleyException.permissionDenied("NOT_AUTHOR", "Only the author edits a message");
            }
            target.access().writable();
            if (message.deleted()) {
                throw ParleyException.of(Status.Code.FAILED_PRECONDITION, "MESSAGE_DELETED",
                        "A deleted message cannot be edited");
            }
            message.editTo(text, Mentions.resolve(entities, message.conversationId, text), clock.instant());
            Message view = views.of(message, editorId);
            log.append(message.conversationId, editorId, message.id, event -> event.setMessageEdited(view));
            return view;
        });
    }

    Message delete(UUID deleterId, UUID messageId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Target target = locked(deleterId, messageId);
            ChatMessage message = target.message();
            Access access = target.access();
            if (!message.authorId.equals(deleterId) && !access.role().atLeast(Role.ADMIN)) {
                throw ParleyException.permissionDenied("NOT_AUTHOR", "Only the author or an admin deletes a message");
            }
            access.writable();
            if (message.deleted()) {
                return views.of(message, deleterId);
            }
            Instant now = clock.instant();
            message.tombstone(deleterId, now);
            Reaction.delete("messageId", messageId);
            Message tombstone = views.of(message, deleterId);
            log.append(message.conversationId, deleterId, message.id, event -> event.setMessageDeleted(
                    MessageDeleted.newBuilder().setMessageId(messageId.toString()).setDeletedBy(deleterId.toString())));
            log.scrub(message.id, tombstone);
            return tombstone;
        });
    }

    /** A message about to change, with the caller's access to its conversation. */
    record Target(ChatMessage message, Access access) {
    }

    /** The message, found for a change: its conversation locked (so read afresh), the caller a member of it. */
    Target locked(UUID callerId, UUID messageId) {
        ChatMessage message = locate(messageId);
        log.lock(message.conversationId);
        Access access = Access.asMember(callerId, message.conversationId);
        entities.refresh(message);
        return new Target(message, access);
    }

    /** The message by id, or NOT_FOUND; access is for the caller to check. */
    static ChatMessage locate(UUID messageId) {
        ChatMessage message = ChatMessage.findById(messageId);
        if (message == null) {
            throw ParleyException.notFound("Message " + messageId);
        }
        return message;
    }

    private Message earlierSend(UUID authorId, UUID conversationId, String clientMessageId, String text,
            UUID replyToId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatMessage earlier = ChatMessage.<ChatMessage>find("authorId = ?1 and clientMessageId = ?2", authorId,
                    clientMessageId).firstResult();
            boolean same = earlier.conversationId.equals(conversationId) && Objects.equals(earlier.replyToId, replyToId)
                    && (earlier.deleted() || Objects.equals(earlier.text, text) || earlier.editedAt != null);
            if (!same) {
                throw ParleyException.of(Status.Code.ALREADY_EXISTS, "CLIENT_MESSAGE_ID_REUSED",
                        "client_message_id was already used for a different message");
            }
            Access.asMember(authorId, conversationId);
            return views.of(earlier, authorId);
        });
    }

    private static ChatMessage inConversation(UUID messageId, UUID conversationId) {
        ChatMessage parent = ChatMessage.findById(messageId);
        if (parent == null || !parent.conversationId.equals(conversationId)) {
            throw ParleyException.invalid("INVALID_FIELDS", "reply_to_message_id",
                    "is not a message of this conversation");
        }
        return parent;
    }

    /** The author has read what they wrote: their read position moves to it (never back). */
    private void markReadByAuthor(UUID conversationId, UUID authorId, long sequence) {
        entities.createNativeQuery("""
                update memberships set read_sequence = greatest(read_sequence, ?3)
                 where conversation_id = ?1 and account_id = ?2""")
                .setParameter(1, conversationId).setParameter(2, authorId).setParameter(3, sequence)
                .executeUpdate();
    }
}
