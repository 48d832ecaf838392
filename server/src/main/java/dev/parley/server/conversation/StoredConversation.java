package dev.parley.server.conversation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A direct conversation or a group. The log head columns are written only by {@code EventLog} with SQL (they are
 * the sequencing lock), so they are read-only here and dirty checking can never write a stale value back.
 */
@Entity
@Table(name = "conversations")
public class StoredConversation extends PanacheEntityBase {

    static final String DIRECT = "direct";
    static final String GROUP = "group";
    static final String PUBLIC = "public";
    static final String PRIVATE = "private";

    @Id
    public UUID id;
    public String kind;
    public String title = "";
    public String description = "";
    public String visibility;
    @Column(name = "direct_key")
    String directKey;
    @Column(name = "created_by")
    UUID createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "archived_at")
    public Instant archivedAt;
    @Column(name = "member_count")
    public int memberCount;
    @Column(name = "last_sequence", insertable = false, updatable = false)
    public long lastSequence;
    @Column(name = "last_message_sequence", insertable = false, updatable = false)
    public long lastMessageSequence;
    @Column(name = "last_activity_at", updatable = false)
    public Instant lastActivityAt;
    /** How long its messages are kept (seconds); null: for as long as the conversation exists. */
    @Column(name = "message_retention_seconds")
    public Long messageRetentionSeconds;

    /** The one direct conversation of two people, found again by their key (both ids, in order). */
    static StoredConversation direct(String directKey) {
        StoredConversation conversation = new StoredConversation();
        conversation.kind = DIRECT;
        conversation.visibility = PRIVATE;
        conversation.directKey = directKey;
        return conversation;
    }

    static StoredConversation group(String title, String description, boolean isPublic) {
        StoredConversation conversation = new StoredConversation();
        conversation.kind = GROUP;
        conversation.title = title;
        conversation.description = description;
        conversation.visibility = isPublic ? PUBLIC : PRIVATE;
        return conversation;
    }

    public boolean isDirect() {
        return DIRECT.equals(kind);
    }

    public boolean isArchived() {
        return archivedAt != null;
    }

    public boolean isPublic() {
        return PUBLIC.equals(visibility);
    }
}
