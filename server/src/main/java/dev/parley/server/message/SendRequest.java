package dev.parley.server.message;

import java.util.List;
import java.util.UUID;

/**
 * What a sender asked for, already checked for well-formedness; {@code replyToId} may be null, {@code attachmentIds}
 * is empty for a message without files.
 */
record SendRequest(UUID authorId, UUID conversationId, String clientMessageId, String text, UUID replyToId,
        List<UUID> attachmentIds) {

    /** What makes two sends the same send: the author's own id for it (unique per author, on any node). */
    String idempotencyKey() {
        return idempotencyKey(authorId, clientMessageId);
    }

    static String idempotencyKey(UUID authorId, String clientMessageId) {
        return authorId + "/" + clientMessageId;
    }
}
