package dev.parley.server.conversation;

import dev.parley.server.grpc.ParleyException;
import io.grpc.Status;
import java.util.UUID;

/**
 * Who may do what in a conversation, checked in one order everywhere: not visible (NOT_FOUND, the same answer as
 * for a conversation that does not exist), then not allowed (PERMISSION_DENIED), then not possible now
 * (FAILED_PRECONDITION). Runs inside the caller's transaction.
 */
public record Access(Conversation conversation, Membership membership) {

    /** The caller as a member; NOT_FOUND for anyone else, whether or not the conversation exists. */
    public static Access asMember(UUID accountId, UUID conversationId) {
        Membership membership = Membership.of(conversationId, accountId).orElseThrow(() -> hidden(conversationId));
        Conversation conversation = Conversation.findById(conversationId);
        return new Access(conversation, membership);
    }

    /** PERMISSION_DENIED unless the caller's role is at least the given one. */
    public Access atLeast(Role role) {
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
            throw ParleyException.of(Status.Code.FAILED_PRECONDITION, "DIRECT_CONVERSATION",
                    "Direct conversations cannot do this");
        }
        return this;
    }

    public UUID id() {
        return conversation.id;
    }

    public Role role() {
        return membership.role();
    }

    static ParleyException archived() {
        return ParleyException.of(Status.Code.FAILED_PRECONDITION, "CONVERSATION_ARCHIVED",
                "This conversation is archived and read-only");
    }

    static ParleyException hidden(UUID conversationId) {
        return ParleyException.notFound("Conversation " + conversationId);
    }
}
