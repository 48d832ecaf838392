package dev.parley.server.conversation;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.MemberChanged;
import dev.parley.api.v1.Role;
import dev.parley.server.account.Account;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.limits.LimitsConfig;
import dev.parley.server.log.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;

/** Membership changes, each logged; all run inside the caller's transaction with the conversation locked. */
@ApplicationScoped
public class Members {

    private final EventLog log;
    private final Clock clock;
    private final LimitsConfig limits;

    Members(EventLog log, Clock clock, LimitsConfig limits) {
        this.log = log;
        this.clock = clock;
        this.limits = limits;
    }

    /** Makes the account a member with the role, counts it, and logs that it joined. */
    Membership admit(StoredConversation conversation, UUID accountId, MemberRole role, UUID actorId) {
        if (conversation.memberCount >= ConversationRules.MAX_MEMBERS) {
            throw ParleyException.invalid("MEMBER_LIMIT", "user_ids",
                    "a group holds at most " + ConversationRules.MAX_MEMBERS + " members");
        }
        // Counted, not locked: two joins of one account at the same instant may pass the cap by one.
        if (Membership.count("accountId", accountId) >= limits.membershipsPerAccount()) {
            throw ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "MEMBERSHIP_LIMIT", "Account " + accountId
                    + " is in " + limits.membershipsPerAccount() + " conversations, the most one account may be "
                    + "in; it must leave one first").with("limit", Integer.toString(limits.membershipsPerAccount()));
        }
        Membership membership = new Membership();
        membership.conversationId = conversation.id;
        membership.accountId = accountId;
        membership.role = role.column;
        membership.joinedAt = clock.instant();
        membership.persist();
        conversation.memberCount++;
        PendingJoin.deleteById(new PendingJoin.Key(conversation.id, accountId));
        // Nothing from before joining is unread: the read position starts at the join itself.
        membership.readSequence = logChange(conversation.id, actorId, accountId, role, ChangeKind.JOINED).getSequence();
        return membership;
    }

    /** Takes the member out, uncounts them, and logs why. */
    void dismiss(StoredConversation conversation, Membership membership, UUID actorId, ChangeKind why) {
        membership.delete();
        conversation.memberCount--;
        logChange(conversation.id, actorId, membership.accountId, null, why);
    }

    void changeRole(Membership membership, MemberRole role, UUID actorId) {
        membership.role = role.column;
        logChange(membership.conversationId, actorId, membership.accountId, role, ChangeKind.ROLE_CHANGED);
    }

    /** An account that can be added: it exists and is active. */
    static Account addable(UUID accountId, String field) {
        Account account = Account.findById(accountId);
        if (account == null || !account.active) {
            throw ParleyException.invalid("UNKNOWN_USER", field, "is not an active user");
        }
        return account;
    }

    /** The member with this id, or NOT_FOUND. */
    static Membership member(UUID conversationId, UUID accountId) {
        return Membership.of(conversationId, accountId)
                .orElseThrow(() -> ParleyException.notFound("Member " + accountId));
    }

    static ParleyException cannot(String reason, String message) {
        return ParleyException.of(ErrorKind.FAILED_PRECONDITION, reason, message);
    }

    /** The kinds of membership change the log distinguishes. */
    enum ChangeKind { JOINED, LEFT, REMOVED, ROLE_CHANGED }

    private ConversationEvent logChange(UUID conversationId, UUID actorId, UUID accountId, MemberRole role,
            ChangeKind kind) {
        MemberChanged change = MemberChanged.newBuilder().setUserId(accountId.toString())
                .setRole(role == null ? Role.ROLE_UNSPECIFIED : role.proto()).build();
        return log.append(conversationId, actorId, null, event -> switch (kind) {
            case JOINED -> event.setMemberJoined(change);
            case LEFT -> event.setMemberLeft(change);
            case REMOVED -> event.setMemberRemoved(change);
            case ROLE_CHANGED -> event.setMemberRoleChanged(change);
        });
    }
}
