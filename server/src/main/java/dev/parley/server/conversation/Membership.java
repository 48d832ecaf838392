package dev.parley.server.conversation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Someone's place in a conversation: role, read position, and their own notification settings. */
@Entity
@Table(name = "memberships")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {

    /** The composite key: conversation and account. */
    public record Key(UUID conversationId, UUID accountId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "conversation_id")
    public UUID conversationId;
    @Id
    @Column(name = "account_id")
    public UUID accountId;
    public String role;
    @Column(name = "joined_at")
    public Instant joinedAt;
    @Column(name = "read_sequence")
    public long readSequence;
    @Column(name = "notification_level")
    public String notificationLevel = "default";
    public boolean muted;
    /** Kept by message.UnreadMentions in SQL, never written through the entity. */
    @Column(name = "unread_mentions", insertable = false, updatable = false)
    public int unreadMentions;

    public MemberRole role() {
        return MemberRole.of(role);
    }

    public static Optional<Membership> of(UUID conversationId, UUID accountId) {
        return Optional.ofNullable(findById(new Key(conversationId, accountId)));
    }
}
