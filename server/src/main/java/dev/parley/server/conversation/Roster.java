package dev.parley.server.conversation;

import dev.parley.api.v1.NotificationLevel;
import dev.parley.api.v1.Role;
import dev.parley.server.account.BotAllowance;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.log.EventLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Who is in a group: invitations, removals, leaving, roles, joining and join requests, personal settings. */
@ApplicationScoped
class Roster {

    private final Members members;
    private final EventLog log;
    private final Clock clock;

    Roster(Members members, EventLog log, Clock clock) {
        this.members = members;
        this.log = log;
        this.clock = clock;
    }

    List<Membership> add(UUID callerId, UUID conversationId, List<String> userIdTexts) {
        Violations violations = new Violations();
        Set<UUID> userIds = ConversationRules.userIds(violations, "user_ids", userIdTexts, true);
        violations.throwIfAny();
        return inGroup(callerId, conversationId, MemberRole.ADMIN, access -> {
            List<Membership> added = new ArrayList<>();
            int index = 0;
            for (UUID userId : userIds) {
                Members.addable(userId, "user_ids[" + index++ + "]");
                if (Membership.of(conversationId, userId).isEmpty()) {
                    added.add(members.admit(access.conversation(), userId, MemberRole.MEMBER, callerId));
                }
            }
            return added;
        });
    }

    void remove(UUID callerId, UUID conversationId, UUID userId) {
        if (callerId.equals(userId)) {
            throw ParleyException.invalid("INVALID_FIELDS", "user_id", "is you; use LeaveConversation to leave");
        }
        inGroup(callerId, conversationId, MemberRole.ADMIN, access -> {
            Membership target = Members.member(conversationId, userId);
            if (!access.role().atLeast(MemberRole.OWNER) && target.role().atLeast(MemberRole.ADMIN)) {
                throw ParleyException.permissionDenied("ROLE_REQUIRED", "Only the owner removes admins");
            }
            if (target.role() == MemberRole.OWNER) {
                throw ParleyException.permissionDenied("ROLE_REQUIRED", "Nobody removes the owner");
            }
            members.dismiss(access.conversation(), target, callerId, Members.ChangeKind.REMOVED);
            return null;
        });
    }

    void leave(UUID callerId, UUID conversationId) {
        inGroup(callerId, conversationId, MemberRole.MEMBER, access -> {
            if (access.role() == MemberRole.OWNER && access.conversation().memberCount > 1) {
                throw Members.cannot("OWNER_MUST_TRANSFER", "Transfer ownership before leaving");
            }
            members.dismiss(access.conversation(), access.membership(), callerId, Members.ChangeKind.LEFT);
            return null;
        });
    }

    Membership changeRole(UUID callerId, UUID conversationId, UUID userId, Role role) {
        if (role != Role.ROLE_MEMBER && role != Role.ROLE_ADMIN) {
            throw ParleyException.invalid("INVALID_FIELDS", "role",
                    "must be ROLE_MEMBER or ROLE_ADMIN; ownership moves with TransferOwnership");
        }
        MemberRole wanted = role == Role.ROLE_ADMIN ? MemberRole.ADMIN : MemberRole.MEMBER;
        return inGroup(callerId, conversationId, MemberRole.OWNER, access -> {
            Membership target = Members.member(conversationId, userId);
            if (target.role() == MemberRole.OWNER) {
                throw ParleyException.invalid("INVALID_FIELDS", "user_id", "is the owner; use TransferOwnership");
            }
            if (target.role() != wanted) {
                members.changeRole(target, wanted, callerId);
            }
            return target;
        });
    }

    void transfer(UUID callerId, UUID conversationId, UUID userId) {
        inGroup(callerId, conversationId, MemberRole.OWNER, access -> {
            if (callerId.equals(userId)) {
                throw ParleyException.invalid("INVALID_FIELDS", "user_id", "is already the owner");
            }
            Membership heir = Members.member(conversationId, userId);
            members.changeRole(heir, MemberRole.OWNER, callerId);
            members.changeRole(access.membership(), MemberRole.ADMIN, callerId);
            return null;
        });
    }

    /** Joins a public group; a member joining again changes nothing. Private groups are NOT_FOUND. */
    Access join(UUID callerId, UUID conversationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            log.lock(conversationId);
            Optional<Membership> already = Membership.of(conversationId, callerId);
            if (already.isPresent()) {
                return new Access(StoredConversation.findById(conversationId), already.get());
            }
            StoredConversation conversation = StoredConversation.findById(conversationId);
            if (conversation.isDirect() || !conversation.isPublic()) {
                throw Access.hidden(conversationId);
            }
            if (conversation.isArchived()) {
                throw Access.archived();
            }
            BotAllowance.JOIN_GROUPS.require(callerId);
            return new Access(conversation, members.admit(conversation, callerId, MemberRole.MEMBER, callerId));
        });
    }

    /** Records a request to join a private group; does nothing, alike, for any other id. */
    void requestToJoin(UUID callerId, UUID conversationId) {
        QuarkusTransaction.requiringNew().run(() -> {
            BotAllowance.JOIN_GROUPS.require(callerId); // before anything, so that it tells nothing of the group
            StoredConversation conversation = StoredConversation.findById(conversationId);
            if (conversation == null || conversation.isDirect() || conversation.isPublic()
                    || conversation.isArchived() || Membership.of(conversationId, callerId).isPresent()
                    || PendingJoin.findById(new PendingJoin.Key(conversationId, callerId)) != null) {
                return;
            }
            PendingJoin request = new PendingJoin();
            request.conversationId = conversationId;
            request.accountId = callerId;
            request.requestedAt = clock.instant();
            request.persist();
        });
    }

    List<PendingJoin> requests(UUID callerId, UUID conversationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Access.asMember(callerId, conversationId).group().atLeast(MemberRole.ADMIN);
            return PendingJoin.<PendingJoin>find("conversationId = ?1 order by requestedAt", conversationId)
                    .range(0, 999).list();
        });
    }

    Membership approve(UUID callerId, UUID conversationId, UUID userId) {
        return inGroup(callerId, conversationId, MemberRole.ADMIN, access -> {
            if (PendingJoin.findById(new PendingJoin.Key(conversationId, userId)) == null) {
                throw ParleyException.notFound("Join request of " + userId);
            }
            Members.addable(userId, "user_id");
            return members.admit(access.conversation(), userId, MemberRole.MEMBER, callerId);
        });
    }

    void reject(UUID callerId, UUID conversationId, UUID userId) {
        inGroup(callerId, conversationId, MemberRole.ADMIN, access -> {
            if (!PendingJoin.deleteById(new PendingJoin.Key(conversationId, userId))) {
                throw ParleyException.notFound("Join request of " + userId);
            }
            return null;
        });
    }

    Access updateSettings(UUID callerId, UUID conversationId, NotificationLevel level, Optional<Boolean> muted) {
        if (level == NotificationLevel.UNRECOGNIZED) {
            throw ParleyException.invalid("INVALID_FIELDS", "notification_level", "is not a known level");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Access access = Access.asMember(callerId, conversationId);
            if (level != NotificationLevel.NOTIFICATION_LEVEL_UNSPECIFIED) {
                access.membership().notificationLevel = level.name().substring("NOTIFICATION_LEVEL_".length())
                        .toLowerCase(Locale.ROOT);
            }
            muted.ifPresent(m -> access.membership().muted = m);
            return access;
        });
    }

    static UUID userId(String text) {
        return Ids.require(text, "user_id");
    }

    /** Runs a membership change of a group with the conversation locked and the caller's role checked. */
    private <T> T inGroup(UUID callerId, UUID conversationId, MemberRole role, Function<Access, T> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            log.lock(conversationId);
            return change.apply(Access.asMember(callerId, conversationId).group().atLeast(role).writable());
        });
    }
}
