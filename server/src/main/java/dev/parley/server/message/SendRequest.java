package dev.parley.server.message;

import java.util.UUID;

/** What a sender asked for, already checked for well-formedness; {@code replyToId} may be null. */
record SendRequest(UUID authorId, UUID conversationId, String clientMessageId, String text, UUID replyToId) {

    /** What makes two sends the same send: the author's own id for it (unique per author, on any node). */
    String idempotencyKey() {
        return idempotencyKey(authorId, clientMessageId);
    }

    static String idempotencyKey(UUID authorId, String clientMessageId) {
        return authorId + "/" + clientMessageId;
    }
}
