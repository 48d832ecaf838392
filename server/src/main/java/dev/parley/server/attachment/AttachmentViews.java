package dev.parley.server.attachment;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.Upload;
import dev.parley.server.grpc.ProtoTime;

/** Uploads and attachments as the API shows them. */
final class AttachmentViews {

    private AttachmentViews() {
    }

    static Upload upload(StoredAttachment upload, java.time.Instant expires) {
        return Upload.newBuilder()
                .setId(upload.id.toString())
                .setConversationId(upload.conversationId == null ? "" : upload.conversationId.toString())
                .setName(upload.name)
                .setSizeBytes(upload.sizeBytes)
                .setReceivedBytes(upload.receivedBytes)
                .setMaxChunkBytes(UploadRules.MAX_CHUNK_BYTES)
                .setExpireTime(ProtoTime.of(expires))
                .build();
    }

    static Attachment attachment(StoredAttachment attachment) {
        return Attachment.newBuilder()
                .setId(attachment.id.toString())
                .setName(attachment.name)
                .setSizeBytes(attachment.sizeBytes)
                .setMediaType(attachment.mediaType)
                .setWidth(attachment.width)
                .setHeight(attachment.height)
                .setHasThumbnail(attachment.hasThumbnail())
                .setSha256(attachment.sha256)
                .setCreateTime(ProtoTime.of(attachment.completedAt))
                .build();
    }
}
