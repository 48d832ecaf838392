package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An upload's bytes as received so far: parts of stored_file_parts under {@link #key}, in the chunks they arrived in,
 * read a chunk at a time in order of offset.
 */
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

    /** Where an upload's chunks wait, whichever the file store. */
    static String key(UUID uploadId) {
        return "upload/" + uploadId;
    }

    /** Appends a chunk at the offset the upload has reached, in the caller's transaction. */
    static void append(Connection connection, UUID uploadId, long offset, byte[] bytes) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into stored_file_parts (file_key, part_offset, data) values (?, ?, ?)")) {
            insert.setString(1, key(uploadId));
            insert.setLong(2, offset);
            insert.setBytes(3, bytes);
            insert.executeUpdate();
        }
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
                "select data from stored_file_parts where file_key = ? and part_offset = ?")) {
            query.setString(1, key(uploadId));
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
                "delete from stored_file_parts where file_key = ?")) {
            delete.setString(1, key(uploadId));
            delete.executeUpdate();
        }
    }
}
