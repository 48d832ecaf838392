package dev.parley.server.message;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A message as stored. Deleting it clears its text and mentions; the row stays as the tombstone. */
@Entity
@Table(name = "messages")
class ChatMessage extends PanacheEntityBase {

    @Id
    UUID id;
    @Column(name = "conversation_id")
    UUID conversationId;
    long sequence;
    @Column(name = "author_id")
    UUID authorId;
    @Column(name = "client_message_id")
    String clientMessageId;
    String text;
    @Column(name = "reply_to_id")
    UUID replyToId;
    @Column(name = "thread_root_id")
    UUID threadRootId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "uuid[]")
    UUID[] mentions = new UUID[0];
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "edited_at")
    Instant editedAt;
    @Column(name = "deleted_at")
    Instant deletedAt;
    /** How many files it was sent with; written by the send, never changed. */
    @Column(name = "attachment_count", insertable = false, updatable = false)
    short attachmentCount;
    @Column(name = "deleted_by")
    UUID deletedBy;

    boolean deleted() {
        return deletedAt != null;
    }

    /** The thread a reply to this message joins: this message's own thread, or the one it started. */
    UUID threadForReplies() {
        return threadRootId != null ? threadRootId : id;
    }

    void editTo(String newText, UUID[] newMentions, Instant now) {
        text = newText;
        mentions = newMentions;
        editedAt = now;
    }

    void tombstone(UUID by, Instant now) {
        text = null;
        mentions = new UUID[0];
        deletedAt = now;
        deletedBy = by;
    }
}
