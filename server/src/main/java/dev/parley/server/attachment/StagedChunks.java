package dev.parley.server.attachment;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Where an upload's bytes wait until it is completed, whichever the file store: {@link StoredParts} under
 * {@code upload/<id>}, in the chunks they arrived in, so any replica can take the next one.
 */
final class StagedChunks {

    private StagedChunks() {
    }

    static String key(UUID uploadId) {
        return "upload/" + uploadId;
    }

    /** Appends a chunk at the offset the upload has reached, in the caller's transaction. */
    static void append(Connection connection, UUID uploadId, long offset, byte[] bytes) throws SQLException {
        StoredParts.insert(connection, key(uploadId), offset, bytes);
    }

    /** The first {@code length} bytes received, a chunk at a time. */
    static InputStream read(DataSource database, UUID uploadId, long length) {
        return StoredParts.reader(database, key(uploadId), 0, length);
    }

    /** Forgets what was received, so that the upload starts again from offset 0. */
    static void drop(Connection connection, UUID uploadId) throws SQLException {
        StoredParts.delete(connection, key(uploadId));
    }
}
