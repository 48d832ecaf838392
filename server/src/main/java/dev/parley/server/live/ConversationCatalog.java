package dev.parley.server.live;

import dev.parley.api.v1.Conversation;
import java.util.Set;
import java.util.UUID;

/** What the stream needs to know about conversations, answered by the conversation feature. */
public interface ConversationCatalog {

    /** The conversations the user is a member of now. Runs in the caller's transaction. */
    Set<UUID> conversationsOf(UUID userId);

    /** The conversations of each of the users (none for a user in none). Runs in the caller's transaction. */
    java.util.Map<UUID, Set<UUID>> conversationsOfEach(java.util.Collection<UUID> userIds);

    /** The people who are members of the conversation now. Runs in the caller's transaction. */
    Set<UUID> membersOf(UUID conversationId);

    /** The conversation as the member sees it. Runs in the caller's transaction. */
    Conversation viewFor(UUID userId, UUID conversationId);
}
