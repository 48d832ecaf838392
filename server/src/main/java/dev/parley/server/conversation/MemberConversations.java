package dev.parley.server.conversation;

import dev.parley.api.v1.Conversation;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several conversations as one of their members sees them, with the other person of direct ones but no last
 * message: for lists that say where something is (search results). Three queries whatever the number; runs in the
 * caller's transaction; conversations the caller is not a member of are left out.
 */
public final class MemberConversations {

    private MemberConversations() {
    }

    public static Map<UUID, Conversation> of(UUID callerId, Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Membership> mine = new HashMap<>();
        Membership.<Membership>list("accountId = ?1 and conversationId in ?2", callerId, conversationIds)
                .forEach(m -> mine.put(m.conversationId, m));
        if (mine.isEmpty()) {
            return Map.of();
        }
        List<StoredConversation> conversations = StoredConversation.list("id in ?1", mine.keySet());
        Map<UUID, String> others = new HashMap<>();
        List<UUID> direct = conversations.stream().filter(StoredConversation::isDirect).map(c -> c.id).toList();
        if (!direct.isEmpty()) {
            Membership.<Membership>list("conversationId in ?1 and accountId <> ?2", direct, callerId)
                    .forEach(m -> others.put(m.conversationId, m.accountId.toString()));
        }
        Map<UUID, Conversation> views = new HashMap<>();
        conversations.forEach(c -> views.put(c.id, ConversationViews.of(c, mine.get(c.id), null, others.get(c.id))));
        return views;
    }
}
