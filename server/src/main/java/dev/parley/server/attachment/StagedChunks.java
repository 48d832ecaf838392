package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** An upload's bytes as received so far (upload_chunks), read a chunk at a time in order of offset. */
final class StagedChunks extends InputStream {

    private final DataSource database;
    private final UUID uploadId;
    private long nextOffset;
    private byte[] chunk = new byte[0];
    private int inChunk;
    private boolean ended;

    StagedChunks(DataSource database, UUID uploadId) {
        this.database = database;
        this.uploadId = uploadId;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int at, int wanted) throws IOException {
        if (wanted == 0) {
            return 0;
        }
        if (inChunk == chunk.length && !fetch()) {
            return -1;
        }
        int count = Math.min(wanted, chunk.length - inChunk);
        System.arraycopy(chunk, inChunk, into, at, count);
        inChunk += count;
        return count;
    }

    private boolean fetch() throws IOException {
        if (ended) {
            return false;
        }
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select data from upload_chunks where attachment_id = ? and chunk_offset = ?")) {
            query.setObject(1, uploadId);
            query.setLong(2, nextOffset);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    ended = true;
                    return false;
                }
                chunk = rows.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IOException("Reading upload " + uploadId + " failed: " + e.getMessage(), e);
        }
        inChunk = 0;
        nextOffset += chunk.length;
        return chunk.length > 0;
    }

    /** Forgets what was received, so that the upload starts again from offset 0. */
    static void drop(Connection connection, UUID uploadId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from upload_chunks where attachment_id = ?")) {
            delete.setObject(1, uploadId);
            delete.executeUpdate();
        }
    }
}
