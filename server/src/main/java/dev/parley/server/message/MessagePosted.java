package dev.parley.server.message;

import dev.parley.api.v1.Message;
import java.util.List;
import java.util.UUID;

/** A message just written, as {@link SentInTransaction} is told of it: the message, its author, who it mentions. */
public record MessagePosted(Message message, UUID authorId, List<UUID> mentioned) {
}
