package dev.parley.server.conversation;

import dev.parley.api.v1.Visibility;
import dev.parley.server.account.Account;
import dev.parley.server.account.BotAllowance;
import dev.parley.server.common.Constraints;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.log.EventLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Creating, changing and archiving conversations. */
@ApplicationScoped
class Conversations {

    /** A conversation with the caller's membership, just written. */
    record Created(StoredConversation conversation, Membership me, boolean created) {
    }

    private final Members members;
    private final EventLog log;
    private final EntityManager entities;
    private final Clock clock;

    Conversations(Members members, EventLog log, EntityManager entities, Clock clock) {
        this.members = members;
        this.log = log;
        this.entities = entities;
        this.clock = clock;
    }

    Created createDirect(UUID callerId, UUID otherId) {
        if (callerId.equals(otherId)) {
            throw ParleyException.invalid("INVALID_FIELDS", "user_id", "must be someone else");
        }
        String key = callerId.compareTo(otherId) < 0 ? callerId + ":" + otherId : otherId + ":" + callerId;
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Account.existing(otherId);
                Optional<StoredConversation> existing = StoredConversation.find("directKey", key)
                        .firstResultOptional();
                if (existing.isPresent()) {
                    return new Created(existing.get(), Membership.of(existing.get().id, callerId).orElseThrow(), false);
                }
                BotAllowance.OPEN_DIRECTS.require(callerId);
                StoredConversation conversation = insert(StoredConversation.direct(key), callerId);
                Membership me = members.admit(conversation, callerId, MemberRole.MEMBER, callerId);
                members.admit(conversation, otherId, MemberRole.MEMBER, callerId);
                return new Created(fresh(conversation), me, true);
            });
        } catch (PersistenceException | io.quarkus.narayana.jta.QuarkusTransactionException e) {
            if (Constraints.violated(e).isEmpty()) {
                throw e;
            }
            // Both people opened it at the same moment: the unique direct_key let one through; return that one.
            return QuarkusTransaction.requiringNew().call(() -> {
                StoredConversation winner = StoredConversation.find("directKey", key).firstResult();
                return new Created(winner, Membership.of(winner.id, callerId).orElseThrow(), false);
            });
        }
    }

    Created createGroup(UUID callerId, String title, String description, Visibility visibility,
            java.util.List<String> memberIdTexts) {
        Violations violations = new Violations();
        ConversationRules.title(violations, title);
        ConversationRules.description(violations, description);
        Set<UUID> memberIds = ConversationRules.userIds(violations, "member_ids", memberIdTexts, false);
        violations.throwIfAny();
        return QuarkusTransaction.requiringNew().call(() -> {
            BotAllowance.CREATE_GROUPS.require(callerId);
            StoredConversation conversation = insert(StoredConversation.group(title.strip(), description,
                    visibility == Visibility.VISIBILITY_PUBLIC), callerId);
            Membership me = members.admit(conversation, callerId, MemberRole.OWNER, callerId);
            int index = 0;
            for (UUID memberId : memberIds) {
                Members.addable(memberId, "member_ids[" + index++ + "]");
                if (!memberId.equals(callerId)) {
                    members.admit(conversation, memberId, MemberRole.MEMBER, callerId);
                }
            }
            return new Created(fresh(conversation), me, true);
        });
    }

    Access update(UUID callerId, UUID conversationId, Optional<String> title, Optional<String> description,
            Visibility visibility, Optional<com.google.protobuf.Duration> messageRetention) {
        Violations violations = new Violations();
        title.ifPresent(t -> ConversationRules.title(violations, t));
        description.ifPresent(d -> ConversationRules.description(violations, d));
        messageRetention.ifPresent(r -> ConversationRules.messageRetention(violations, r));
        violations.throwIfAny();
        return QuarkusTransaction.requiringNew().call(() -> {
            log.lock(conversationId);
            Access access = Access.asMember(callerId, conversationId).group().atLeast(MemberRole.ADMIN).writable();
            StoredConversation conversation = access.conversation();
            title.ifPresent(t -> conversation.title = t.strip());
            description.ifPresent(d -> conversation.description = d);
            messageRetention.ifPresent(r -> conversation.messageRetentionSeconds = r.getSeconds() == 0 ? null
                    : r.getSeconds());
            if (visibility == Visibility.VISIBILITY_PUBLIC || visibility == Visibility.VISIBILITY_PRIVATE) {
                conversation.visibility = visibility == Visibility.VISIBILITY_PUBLIC ? StoredConversation.PUBLIC
                        : StoredConversation.PRIVATE;
            }
            log.append(conversationId, callerId, null, event -> event.setConversationUpdated(
                    ConversationViews.of(fresh(conversation))));
            return new Access(fresh(conversation), access.membership());
        });
    }

    Access archive(UUID callerId, UUID conversationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            log.lock(conversationId);
            Access access = Access.asMember(callerId, conversationId).atLeast(MemberRole.OWNER).writable();
            access.conversation().archivedAt = clock.instant();
            log.append(conversationId, callerId, null, event -> event.setConversationArchived(
                    ConversationViews.of(fresh(access.conversation()))));
            return new Access(fresh(access.conversation()), access.membership());
        });
    }

    /** The entity as the database now has it, log head included (written by SQL, not by Hibernate). */
    StoredConversation fresh(StoredConversation conversation) {
        entities.flush();
        entities.refresh(conversation);
        return conversation;
    }

    private StoredConversation insert(StoredConversation conversation, UUID creatorId) {
        conversation.id = UUID.randomUUID();
        conversation.createdBy = creatorId;
        conversation.createdAt = clock.instant();
        conversation.lastActivityAt = conversation.createdAt;
        conversation.persistAndFlush();
        return conversation;
    }
}
