package dev.parley.server.attachment;

import dev.parley.server.common.ParleyException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Completing an upload: every byte checked against the declared size and SHA-256, images recognised from their
 * bytes, their metadata removed ({@link WithoutMetadata}) and a thumbnail made, the file moved to the
 * {@link FileStore}, the chunks deleted. The file is read a chunk at a time, never whole: once to check it, once more
 * to write it into the store unless the store keeps the chunks as they are (PostgreSQL's, for a file not rewritten),
 * once more to decode a picture. One transaction under the upload's lock; a refusal commits the dropping of the bytes before it
 * is answered, so the client can send them again.
 */
@ApplicationScoped
class Completions {

    private static final String UNKNOWN_TYPE = "application/octet-stream";

    private final Uploads uploads;
    private final FileStore store;
    private final DataSource database;
    private final Clock clock;

    Completions(Uploads uploads, FileStore store, DataSource database, Clock clock) {
        this.uploads = uploads;
        this.store = store;
        this.database = database;
        this.clock = clock;
    }

    /** What one attempt came to: the attachment, or the refusal to answer once the transaction has committed. */
    private record Outcome(StoredAttachment attachment, ParleyException refusal) {
    }

    /** What the first reading found. */
    private record Inspected(ImageKind kind, long storedLength, byte[] start, int orientation) {
    }

    StoredAttachment complete(UUID caller, UUID uploadId) {
        Outcome outcome;
        try {
            outcome = QuarkusTransaction.requiringNew().call(() -> attempt(caller, uploadId));
        } catch (QuarkusTransactionException e) {
            if (e.getCause() instanceof IOException store) {
                // the file store (S3, or PostgreSQL's parts) failed: nothing was completed, the chunks are kept
                throw ParleyException.unavailable("STORAGE_UNAVAILABLE", "The file store cannot be reached: "
                        + "complete the upload again shortly", Duration.ofSeconds(1));
            }
            throw e;
        }
        if (outcome.refusal() != null) {
            throw outcome.refusal();
        }
        return outcome.attachment();
    }

    private Outcome attempt(UUID caller, UUID uploadId) throws IOException, SQLException {
        StoredAttachment upload = uploads.own(caller, uploadId, true);
        if (upload.completed()) {
            return new Outcome(upload, null);
        }
        if (upload.receivedBytes < upload.sizeBytes) {
            throw UploadRules.refused("UPLOAD_INCOMPLETE", "Only " + upload.receivedBytes + " of the "
                    + upload.sizeBytes + " bytes have arrived").with("received_bytes",
                            Long.toString(upload.receivedBytes));
        }
        Inspected inspected;
        try {
            inspected = inspect(upload);
        } catch (ParleyException refusal) {
            return dropped(upload, refusal);
        }
        String key = upload.fileKey(false);
        boolean rewritten = WithoutMetadata.rewrites(inspected.kind());
        if (rewritten || !store.takeStaged(upload.id, key)) {
            try (InputStream stripped = WithoutMetadata.of(inspected.kind(), StagedChunks.read(database, upload.id, upload.sizeBytes))) {
                store.put(key, stripped, inspected.storedLength());
            }
        }
        if (inspected.kind() != null && inspected.kind().thumbnailed) {
            try (InputStream stored = store.open(key, 0, inspected.storedLength())) {
                Thumbnails.Made made = Thumbnails.of(stored, inspected.orientation());
                upload.width = made.width();
                upload.height = made.height();
                if (made.thumbnail() != null) {
                    store.put(upload.fileKey(true), new ByteArrayInputStream(made.thumbnail()),
                            made.thumbnail().length);
                    upload.thumbnailBytes = made.thumbnail().length;
                }
            } catch (Thumbnails.Unreadable e) {
                store.delete(key);
                return dropped(upload, unreadable(inspected.kind(), e.getMessage()));
            }
        } else if (inspected.kind() == ImageKind.WEBP) {
            int[] size = ImageKind.webpSize(inspected.start());
            if (size != null) {
                upload.width = size[0];
                upload.height = size[1];
            }
        }
        try (Connection connection = database.getConnection()) {
            StagedChunks.drop(connection, upload.id);
        }
        upload.mediaType = inspected.kind() != null ? inspected.kind().mediaType
                : upload.declaredType.isEmpty() ? UNKNOWN_TYPE : upload.declaredType;
        upload.sizeBytes = inspected.storedLength();
        upload.completedAt = clock.instant();
        return new Outcome(upload, null);
    }

    /** Reads every byte once: the hash, the kind, and how long the file is once its metadata is removed. */
    private Inspected inspect(StoredAttachment upload) throws IOException {
        MessageDigest sha256 = sha256();
        try (BufferedInputStream in = new BufferedInputStream(
                new DigestInputStream(StagedChunks.read(database, upload.id, upload.sizeBytes), sha256), 64 * 1024)) {
            in.mark(ImageKind.SIGNATURE_BYTES);
            byte[] start = in.readNBytes(ImageKind.SIGNATURE_BYTES);
            in.reset();
            ImageKind kind = ImageKind.of(start);
            long length = 0;
            String damage = null;
            InputStream cleaned = WithoutMetadata.of(kind, in);
            try {
                length = cleaned.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                damage = e.getMessage();
                in.transferTo(OutputStream.nullOutputStream()); // the hash needs every byte
            }
            if (!HexFormat.of().formatHex(sha256.digest()).equals(upload.sha256)) {
                throw UploadRules.refused("UPLOAD_HASH_MISMATCH", "The bytes received do not have the declared "
                        + "SHA-256: send them again from offset 0");
            }
            if (kind == null && ImageKind.MEDIA_TYPES.contains(upload.declaredType)) {
                throw ParleyException.invalid("MEDIA_TYPE_MISMATCH", "media_type", "says " + upload.declaredType
                        + " but the bytes are no PNG, JPEG, GIF or WebP image");
            }
            if (damage != null) {
                throw unreadable(kind, damage);
            }
            if (upload.conversationId == null && (kind == null || !kind.thumbnailed)) {
                throw ParleyException.invalid("AVATAR_NOT_AN_IMAGE", "media_type", "must be a PNG, JPEG or GIF "
                        + "picture for an upload without a conversation (a profile picture)");
            }
            return new Inspected(kind, length, start,
                    cleaned instanceof WithoutMetadata known ? known.orientation() : 1);
        }
    }

    private Outcome dropped(StoredAttachment upload, ParleyException refusal) throws SQLException {
        try (Connection connection = database.getConnection()) {
            StagedChunks.drop(connection, upload.id);
        }
        upload.receivedBytes = 0;
        return new Outcome(null, refusal);
    }

    private static ParleyException unreadable(ImageKind kind, String why) {
        return ParleyException.invalid("IMAGE_UNREADABLE", "data", "starts as a " + kind + " image but cannot be read "
                + "as one (" + why + "): is the file complete?");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
