package dev.parley.server.message;

import dev.parley.api.v1.Message;
import java.util.List;
import java.util.UUID;

/**
 * Fired synchronously inside the transaction that sends a message, so that observers (webhook deliveries) write
 * their rows in it: committed together with the message, or not at all.
 */
public record MessagePosted(Message message, UUID authorId, List<UUID> mentioned) {
}
