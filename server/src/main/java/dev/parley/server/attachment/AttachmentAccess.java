package dev.parley.server.attachment;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.conversation.Membership;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Who may fetch a file: before it is sent, its uploader; once sent, whoever is a member of the message's conversation
 * now (a member removed since cannot). Everyone else, and everyone once the message is deleted, gets NOT_FOUND, the
 * answer an id that does not exist gets.
 */
@ApplicationScoped
class AttachmentAccess {

    /** A link given: where to fetch the bytes, until when. */
    record Link(String path, Instant expires) {
    }

    private final AttachmentLinks links;
    private final AttachmentConfig config;
    private final Clock clock;

    AttachmentAccess(AttachmentLinks links, AttachmentConfig config, Clock clock) {
        this.links = links;
        this.config = config;
        this.clock = clock;
    }

    Link link(UUID caller, UUID attachmentId, boolean thumbnail) {
        StoredAttachment attachment = QuarkusTransaction.requiringNew().call(() -> visible(caller, attachmentId));
        if (thumbnail && !attachment.hasThumbnail()) {
            throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "NO_THUMBNAIL",
                    "This attachment has no thumbnail (Attachment.has_thumbnail is false)");
        }
        Instant expires = clock.instant().plus(config.linkLifetime());
        return new Link(links.path(attachmentId, thumbnail, expires), expires);
    }

    private static StoredAttachment visible(UUID caller, UUID attachmentId) {
        StoredAttachment attachment = StoredAttachment.findById(attachmentId);
        boolean visible = attachment != null && attachment.completed() && attachment.goneAt == null
                && (attachment.messageId == null ? attachment.ownerId.equals(caller)
                        : Membership.of(attachment.conversationId, caller).isPresent());
        if (!visible) {
            throw ParleyException.notFound("Attachment " + attachmentId);
        }
        return attachment;
    }
}
