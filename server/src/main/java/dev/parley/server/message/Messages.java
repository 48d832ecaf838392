package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.api.v1.MessageDeleted;
import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.conversation.Access;
import dev.parley.server.conversation.MemberRole;
import dev.parley.server.log.EventLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Sending, editing and deleting messages; each change is logged in the transaction that makes it. */
@ApplicationScoped
class Messages {

    private final EventLog log;
    private final MessageViews views;
    private final EntityManager entities;
    private final Clock clock;
    private final SendLanes lanes;

    private final java.util.List<DeletedInTransaction> deletions;

    Messages(EventLog log, MessageViews views, EntityManager entities, Clock clock, SendLanes lanes,
            jakarta.enterprise.inject.Instance<DeletedInTransaction> deletions) {
        this.deletions = deletions.stream().toList();
        this.lanes = lanes;
        this.log = log;
        this.views = views;
        this.entities = entities;
        this.clock = clock;
    }

    /**
     * Sends, or answers with the message an earlier send with the same client_message_id created. The send is
     * committed with the others that arrive meanwhile ({@link SendLanes}); the answer completes after the commit.
     * The unique index on (author, client_message_id) decides between concurrent retries, on any node.
     */
    CompletableFuture<Message> send(UUID authorId, UUID conversationId, String clientMessageId, String text,
            UUID replyToId, List<UUID> attachmentIds) {
        Violations violations = new Violations();
        MessageRules.clientMessageId(violations, clientMessageId);
        if (!text.isEmpty() || attachmentIds.isEmpty()) {
            MessageRules.text(violations, text);
        }
        MessageRules.attachments(violations, attachmentIds);
        violations.throwIfAny();
        return lanes.submit(new SendRequest(authorId, conversationId, clientMessageId, text, replyToId,
                List.copyOf(attachmentIds)));
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
            UUID[] mentionedBefore = message.mentions;
            message.editTo(text, Mentions.resolve(entities, message.conversationId, text), clock.instant());
            UnreadMentions.changed(entities, message, mentionedBefore, message.mentions);
            Message view = views.of(message, editorId);
            log.append(message.conversationId, editorId, message.id, event -> event.setMessageEdited(view));
            log.scrub(message.id, view); // replays show only the text as it is now, never an earlier one
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
            UnreadMentions.changed(entities, message, message.mentions, new UUID[0]);
            message.tombstone(deleterId, now);
            Reaction.delete("messageId", messageId);
            if (message.attachmentCount > 0) {
                MessageAttachments.gone(entities, messageId, now);
            }
            Message tombstone = views.of(message, deleterId);
            log.append(message.conversationId, deleterId, message.id, event -> event.setMessageDeleted(
                    MessageDeleted.newBuilder().setMessageId(messageId.toString()).setDeletedBy(deleterId.toString())));
            log.scrub(message.id, tombstone);
            deletions.forEach(deletion -> deletion.deleted(messageId));
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
}
