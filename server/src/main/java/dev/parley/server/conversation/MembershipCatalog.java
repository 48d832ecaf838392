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
    public java.util.Map<UUID, Set<UUID>> conversationsOfEach(java.util.Collection<UUID> userIds) {
        java.util.Map<UUID, Set<UUID>> conversations = new java.util.HashMap<>();
        Membership.getEntityManager().createQuery("select m.accountId, m.conversationId from Membership m "
                + "where m.accountId in ?1", Object[].class).setParameter(1, userIds).getResultList()
                .forEach(row -> conversations.computeIfAbsent((UUID) row[0], u -> new HashSet<>()).add((UUID) row[1]));
        return conversations;
    }

    @Override
    public Set<UUID> membersOf(UUID conversationId) {
        return new HashSet<>(Membership.getEntityManager().createQuery(
                "select m.accountId from Membership m where m.conversationId = ?1", UUID.class)
                .setParameter(1, conversationId).getResultList());
    }

    @Override
    public dev.parley.api.v1.Conversation viewFor(UUID userId, UUID conversationId) {
        Access access = Access.asMember(userId, conversationId);
        return listings.memberView(userId, access.conversation(), access.membership());
    }
}
