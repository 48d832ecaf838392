package dev.parley.server.conversation;

import dev.parley.server.live.ConversationCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Answers the live stream's questions about conversations from memberships. */
@ApplicationScoped
class MembershipCatalog implements ConversationCatalog {

    private final Listings listings;

    MembershipCatalog(Listings listings) {
        this.listings = listings;
    }

    @Override
    public Set<UUID> conversationsOf(UUID userId) {
        List<Membership> memberships = Membership.list("accountId", userId);
        Set<UUID> ids = new HashSet<>();
        memberships.forEach(m -> ids.add(m.conversationId));
        return ids;
    }

    @Override
    public dev.parley.api.v1.Conversation viewFor(UUID userId, UUID conversationId) {
        Access access = Access.asMember(userId, conversationId);
        return listings.memberView(userId, access.conversation(), access.membership());
    }
}
