package dev.parley.server.attachment;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.conversation.Access;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Uploads from declaration to the last chunk. Each chunk is appended at the offset the server has reached, in its
 * own short transaction, under the upload's row lock, so a client resuming after a drop (or two of its retries
 * racing) can neither leave a hole nor write a byte twice. Completion is {@link Completions}.
 */
@ApplicationScoped
class Uploads {

    private final AttachmentConfig config;
    private final DataSource database;
    private final Clock clock;

    Uploads(AttachmentConfig config, DataSource database, Clock clock) {
        this.config = config;
        this.database = database;
        this.clock = clock;
    }

    StoredAttachment create(UUID caller, UUID conversationId, String name, long size, String mediaType,
            String sha256) {
        UploadRules.check(name, size, mediaType, sha256, config.maxBytes());
        return QuarkusTransaction.requiringNew().call(() -> {
            if (conversationId != null) {
                Access.asMember(caller, conversationId).writable();
            }
            checkQuota(caller, size);
            StoredAttachment upload = new StoredAttachment();
            upload.id = UUID.randomUUID();
            upload.ownerId = caller;
            upload.conversationId = conversationId;
            upload.name = name;
            upload.declaredType = mediaType;
            upload.sizeBytes = size;
            upload.sha256 = sha256.toLowerCase();
            upload.createdAt = clock.instant();
            upload.persist();
            return upload;
        });
    }

    StoredAttachment append(UUID caller, UUID uploadId, long offset, byte[] data) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StoredAttachment upload = own(caller, uploadId, true);
            if (upload.completed()) {
                throw UploadRules.refused("UPLOAD_COMPLETED", "This upload is completed and takes no more bytes");
            }
            UploadRules.checkChunk(offset, data.length, upload.sizeBytes);
            if (offset > upload.receivedBytes) {
                throw UploadRules.refused("UPLOAD_OFFSET_MISMATCH", "offset is past the " + upload.receivedBytes
                        + " bytes received: continue from there").with("received_bytes",
                                Long.toString(upload.receivedBytes));
            }
            int known = (int) (upload.receivedBytes - offset);
            if (known < data.length) {
                store(uploadId, upload.receivedBytes, known == 0 ? data : Arrays.copyOfRange(data, known, data.length));
                upload.receivedBytes += data.length - known;
            }
            return upload;
        });
    }

    StoredAttachment get(UUID caller, UUID uploadId) {
        return QuarkusTransaction.requiringNew().call(() -> own(caller, uploadId, false));
    }

    /** When an upload is dropped unless sent. */
    Instant expiry(StoredAttachment upload) {
        return upload.createdAt.plus(config.unsentKeptFor());
    }

    /**
     * The caller's upload, not yet sent and not expired; NOT_FOUND otherwise, also for another's. Once sent, an
     * attachment is reached through its message only.
     */
    StoredAttachment own(UUID caller, UUID uploadId, boolean lock) {
        StoredAttachment upload = lock ? StoredAttachment.findById(uploadId, LockModeType.PESSIMISTIC_WRITE)
                : StoredAttachment.findById(uploadId);
        if (upload == null || !upload.ownerId.equals(caller) || upload.messageId != null || upload.goneAt != null
                || upload.avatarOf != null || !clock.instant().isBefore(expiry(upload))) {
            throw ParleyException.notFound("Upload " + uploadId);
        }
        return upload;
    }

    /**
     * RESOURCE_EXHAUSTED when the account's files and uploads, with this one, would hold more than the quota. An
     * advisory lock on the account is taken first, so two uploads declared at once cannot both slip under it (the
     * account's row is left alone: sign-ins and profile changes write it).
     */
    private void checkQuota(UUID owner, long size) {
        var entities = StoredAttachment.getEntityManager();
        entities.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 1917))")
                .setParameter(1, "quota:" + owner).getResultList();
        long used = ((Number) entities.createNativeQuery(
                "select coalesce(sum(size_bytes), 0) from attachments where owner_id = ?1 and gone_at is null")
                .setParameter(1, owner).getSingleResult()).longValue();
        if (used + size > config.quotaBytes()) {
            throw ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "STORAGE_QUOTA_EXCEEDED", "Your files would hold "
                    + (used + size) + " bytes, more than your quota of " + config.quotaBytes()
                    + " bytes: delete messages with files, or wait for unsent uploads to expire")
                    .with("limit_bytes", Long.toString(config.quotaBytes())).with("used_bytes", Long.toString(used));
        }
    }

    private void store(UUID uploadId, long offset, byte[] bytes) throws SQLException {
        try (Connection connection = database.getConnection()) {
            StagedChunks.append(connection, uploadId, offset, bytes);
        }
    }
}
