package dev.parley.server.live;

import dev.parley.api.v1.Conversation;
import java.util.Set;
import java.util.UUID;

/** What the stream needs to know about conversations, answered by the conversation feature. */
public interface ConversationCatalog {

    /** The conversations the user is a member of now. Runs in the caller's transaction. */
    Set<UUID> conversationsOf(UUID userId);

    /** The conversation as the member sees it. Runs in the caller's transaction. */
    Conversation viewFor(UUID userId, UUID conversationId);
}
