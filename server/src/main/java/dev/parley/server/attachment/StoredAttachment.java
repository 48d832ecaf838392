package dev.parley.server.attachment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An upload and, once completed, the attachment it became (one row for both, V13). The message it is sent with is
 * written by the send's own statement ({@code message.MessageAttachments.claim}), so it is read-only here. No
 * conversation: a profile picture ({@link Avatars}).
 */
@Entity
@Table(name = "attachments")
class StoredAttachment extends PanacheEntityBase {

    @Id
    UUID id;
    @Column(name = "owner_id")
    UUID ownerId;
    @Column(name = "conversation_id")
    UUID conversationId;
    String name;
    @Column(name = "declared_type")
    String declaredType;
    @Column(name = "size_bytes")
    long sizeBytes;
    String sha256;
    @Column(name = "received_bytes")
    long receivedBytes;
    @Column(name = "media_type")
    String mediaType;
    int width;
    int height;
    /** The thumbnail's size; 0 when there is none. */
    @Column(name = "thumbnail_bytes")
    int thumbnailBytes;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "completed_at")
    Instant completedAt;
    @Column(name = "message_id", insertable = false, updatable = false)
    UUID messageId;
    /** Set on the account's current avatar, an upload without a conversation. */
    @Column(name = "avatar_of")
    UUID avatarOf;
    @Column(name = "gone_at")
    Instant goneAt;

    boolean hasThumbnail() {
        return thumbnailBytes > 0;
    }

    boolean completed() {
        return completedAt != null;
    }

    /** The store's key of the file, or of its thumbnail. */
    String fileKey(boolean thumbnail) {
        return fileKey(id, thumbnail);
    }

    static String fileKey(UUID id, boolean thumbnail) {
        return thumbnail ? id + ".thumbnail" : id.toString();
    }
}
