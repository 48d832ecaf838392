package dev.parley.server.message;

import java.time.Instant;
import java.util.UUID;

/**
 * A message being sent, everything decided before it is stored: written with one statement, and shown to the
 * sender and the stream from the same values, so the two cannot disagree. A reply names the message replied to and
 * the thread it joins.
 */
record NewMessage(UUID id, SendRequest request, long sequence, UUID[] mentions, UUID threadRootId,
        Instant createdAt) {
}
