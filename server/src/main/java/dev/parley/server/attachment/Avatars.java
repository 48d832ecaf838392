package dev.parley.server.attachment;

import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.UUID;

/**
 * Profile pictures uploaded like any file, without a conversation: once completed, UpdateProfile makes one its
 * owner's avatar, served resized (its 320-pixel thumbnail) at {@code /avatars/<id>} to anyone, as people's
 * pictures are shown to whoever sees their name. The avatar before it is dropped, with its bytes, by the purge.
 */
@ApplicationScoped
public class Avatars {

    /** Where avatars are served on the HTTP port, followed by the attachment's id. */
    public static final String PATH = "/avatars/";

    private final Clock clock;

    Avatars(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes the upload the account's avatar, in the caller's transaction; returns its address. INVALID_ARGUMENT
     * naming the field (reason ATTACHMENT_UNAVAILABLE) for anything but a completed profile-picture upload of the
     * account's own that is not its avatar already.
     */
    public String adopt(UUID accountId, UUID uploadId, String field) {
        StoredAttachment upload = StoredAttachment.findById(uploadId, LockModeType.PESSIMISTIC_WRITE);
        if (upload == null || !upload.ownerId.equals(accountId) || upload.conversationId != null
                || !upload.completed() || upload.goneAt != null || !upload.hasThumbnail()) {
            throw ParleyException.invalid("ATTACHMENT_UNAVAILABLE", field, "must be a completed upload of yours "
                    + "without a conversation, of a PNG, JPEG or GIF picture");
        }
        drop(accountId);
        upload.avatarOf = accountId;
        upload.goneAt = null;
        return PATH + upload.id;
    }

    /** Drops the account's uploaded avatar, if it has one, in the caller's transaction. */
    public void drop(UUID accountId) {
        StoredAttachment.update("goneAt = ?1 where avatarOf = ?2 and goneAt is null", clock.instant(), accountId);
    }
}
