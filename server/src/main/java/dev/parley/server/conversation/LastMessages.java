package dev.parley.server.conversation;

import dev.parley.api.v1.Message;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The newest message of each of some conversations, as a reader sees it. Implemented by the message feature, so
 * that conversations can show their last message without depending on how messages are kept.
 */
public interface LastMessages {

    /** Conversation id to its newest message, for the conversations that have one. */
    Map<UUID, Message> of(UUID readerId, Collection<StoredConversation> conversations);
}
