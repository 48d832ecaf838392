package dev.parley.server.message;

import java.time.Instant;
import java.util.UUID;

/**
 * A message being sent, everything decided before it is stored: written with one statement, and shown to the
 * sender and the stream from the same values, so the two cannot disagree.
 */
record NewMessage(UUID id, UUID conversationId, long sequence, UUID authorId, String clientMessageId, String text,
        ChatMessage parent, UUID[] mentions, Instant createdAt) {

    UUID replyToId() {
        return parent == null ? null : parent.id;
    }

    UUID threadRootId() {
        return parent == null ? null : parent.threadForReplies();
    }
}
