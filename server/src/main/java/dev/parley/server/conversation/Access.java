package dev.parley.server.conversation;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import java.util.UUID;

/**
 * Who may do what in a conversation, checked in one order everywhere: not visible (NOT_FOUND, the same answer as
 * for a conversation that does not exist), then not possible for this kind of conversation (a direct one has no
 * roles, so asking for a role there would be the wrong answer), then not allowed (PERMISSION_DENIED), then not
 * possible now (FAILED_PRECONDITION). Runs inside the caller's transaction.
 */
public record Access(StoredConversation conversation, Membership membership) {

    /** The caller as a member; NOT_FOUND for anyone else, whether or not the conversation exists. */
    public static Access asMember(UUID accountId, UUID conversationId) {
        Membership membership = Membership.of(conversationId, accountId).orElseThrow(() -> hidden(conversationId));
        StoredConversation conversation = StoredConversation.findById(conversationId);
        return new Access(conversation, membership);
    }

    /**
     * The caller as a member of the conversation that holds a message. Anyone else gets the very answer a message
     * id that does not exist gets, so that an outsider learns neither that the message exists nor where it is.
     */
    public static Access toMessage(UUID accountId, UUID conversationId, UUID messageId) {
        Membership membership = Membership.of(conversationId, accountId)
                .orElseThrow(() -> missingMessage(messageId));
        return new Access(StoredConversation.findById(conversationId), membership);
    }

    /** NOT_FOUND for a message, whether it does not exist or the caller may not see it. */
    public static ParleyException missingMessage(UUID messageId) {
        return ParleyException.notFound("Message " + messageId);
    }

    /** PERMISSION_DENIED unless the caller's role is at least the given one. */
    public Access atLeast(MemberRole role) {
        if (!membership.role().atLeast(role)) {
            throw ParleyException.permissionDenied("ROLE_REQUIRED", "This needs the " + role.column + " role");
        }
        return this;
    }

    /** FAILED_PRECONDITION when the conversation is archived and so read-only. */
    public Access writable() {
        if (conversation.isArchived()) {
            throw archived();
        }
        return this;
    }

    /** FAILED_PRECONDITION for direct conversations, which have no title, roles or membership changes. */
    public Access group() {
        if (conversation.isDirect()) {
            throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "DIRECT_CONVERSATION",
                    "Direct conversations cannot do this");
        }
        return this;
    }

    public UUID id() {
        return conversation.id;
    }

    public MemberRole role() {
        return membership.role();
    }

    static ParleyException archived() {
        return ParleyException.of(ErrorKind.FAILED_PRECONDITION, "CONVERSATION_ARCHIVED",
                "This conversation is archived and read-only");
    }

    static ParleyException hidden(UUID conversationId) {
        return ParleyException.notFound("Conversation " + conversationId);
    }
}
