package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.api.v1.MessageDeleted;
import dev.parley.server.common.Constraints;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.conversation.Access;
import dev.parley.server.conversation.MemberRole;
import dev.parley.server.log.EventLog;
import dev.parley.server.log.WriterTurns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    private final jakarta.enterprise.event.Event<MessagePosted> posted;
    private final WriterTurns turns;

    Messages(EventLog log, MessageViews views, EntityManager entities, Clock clock,
            jakarta.enterprise.event.Event<MessagePosted> posted, WriterTurns turns) {
        this.posted = posted;
        this.turns = turns;
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
            return turns.inTurn(conversationId, () -> QuarkusTransaction.requiringNew().call(() -> {
                // Everything that needs no sequence number happens before claiming one: the claim locks the
                // conversation until commit, and every other sender to it waits that long.
                UUID[] mentions = Mentions.resolve(entities, conversationId, text);
                ChatMessage parent = replyToId == null ? null : inConversation(replyToId, conversationId, authorId);
                Map<UUID, String> names = views.usernames(Arrays.asList(mentions));
                long sequence = log.claim(conversationId, true);
                NewMessage sent = new NewMessage(UUID.randomUUID(), conversationId, sequence, authorId,
                        clientMessageId, text, parent, mentions, clock.instant());
                if (!insertAsMember(sent)) {
                    Access.asMember(authorId, conversationId).writable(); // says why: NOT_FOUND or archived
                }
                Message view = MessageViews.bare(sent, names);
                log.record(conversationId, sequence, authorId, sent.id(), event -> event.setMessageSent(view));
                posted.fire(new MessagePosted(view, authorId, List.of(mentions)));
                return view;
            }));
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
                throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "MESSAGE_DELETED",
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
            if (!message.authorId.equals(deleterId) && !access.role().atLeast(MemberRole.ADMIN)) {
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
        Access access = Access.toMessage(callerId, message.conversationId, messageId);
        entities.refresh(message);
        return new Target(message, access);
    }

    /** The message by id, or NOT_FOUND; access is for the caller to check. */
    static ChatMessage locate(UUID messageId) {
        ChatMessage message = ChatMessage.findById(messageId);
        if (message == null) {
            throw Access.missingMessage(messageId);
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
                throw ParleyException.of(ErrorKind.ALREADY_EXISTS, "CLIENT_MESSAGE_ID_REUSED",
                        "client_message_id was already used for a different message");
            }
            Access.asMember(authorId, conversationId);
            return views.of(earlier, authorId);
        });
    }

    /**
     * The message replied to. When it is not one of this conversation's, an outsider of the conversation learns
     * only that (NOT_FOUND), so that a reply cannot be used to probe whether a message id exists.
     */
    private static ChatMessage inConversation(UUID messageId, UUID conversationId, UUID authorId) {
        ChatMessage parent = ChatMessage.findById(messageId);
        if (parent == null || !parent.conversationId.equals(conversationId)) {
            Access.asMember(authorId, conversationId);
            throw ParleyException.invalid("INVALID_FIELDS", "reply_to_message_id",
                    "is not a message of this conversation");
        }
        return parent;
    }

    /**
     * Inserts the message if, now that the conversation is locked, the author is still a member of it and it is
     * not archived; the author's read position moves to it (they have read what they wrote). One statement, read
     * after the lock, so a removal or an archive committed just before is seen. False when nothing was inserted.
     */
    private boolean insertAsMember(NewMessage sent) {
        @SuppressWarnings("unchecked")
        List<Object> inserted = entities.createNativeQuery("""
                with author as (
                    update memberships m set read_sequence = greatest(m.read_sequence, ?3)
                      from conversations c
                     where m.conversation_id = ?1 and m.account_id = ?2
                       and c.id = m.conversation_id and c.archived_at is null
                    returning m.account_id)
                insert into messages (id, conversation_id, sequence, author_id, client_message_id, text, reply_to_id,
                                      thread_root_id, mentions, created_at)
                select ?4, ?1, ?3, ?2, ?5, ?6, ?7, ?8, ?9, ?10 from author
                returning id""")
                .setParameter(1, sent.conversationId()).setParameter(2, sent.authorId())
                .setParameter(3, sent.sequence()).setParameter(4, sent.id())
                .setParameter(5, sent.clientMessageId()).setParameter(6, sent.text())
                .setParameter(7, sent.replyToId()).setParameter(8, sent.threadRootId())
                .setParameter(9, sent.mentions()).setParameter(10, sent.createdAt())
                .getResultList();
        return !inserted.isEmpty();
    }
}
