package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Files in PostgreSQL (stored_file_parts, V13), each in parts of at most {@link #PART_BYTES} (the chunks it was
 * uploaded in, when kept as they came, or written afresh), so that no statement carries a whole file and a ranged read
 * fetches only the slice of each part it needs (the parts are stored uncompressed, so PostgreSQL reads just that
 * slice). Inside a transaction the writes join it; a read outside one takes a pooled
 * connection per part, never holding one while a slow client takes the bytes.
 */
final class PostgresFileStore implements FileStore {

    static final int PART_BYTES = 1 << 20;

    private final DataSource database;

    PostgresFileStore(DataSource database) {
        this.database = database;
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        try (Connection connection = database.getConnection()) {
            delete(connection, key);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into stored_file_parts (file_key, part_offset, data) values (?, ?, ?)")) {
                for (long offset = 0; offset < length; offset += PART_BYTES) {
                    int wanted = (int) Math.min(PART_BYTES, length - offset);
                    byte[] part = content.readNBytes(wanted);
                    if (part.length != wanted) {
                        throw new IOException("The file ended " + (length - offset - part.length) + " bytes early");
                    }
                    insert.setString(1, key);
                    insert.setLong(2, offset);
                    insert.setBytes(3, part);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IOException("Storing " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        return new PartReader(key, offset, length);
    }

    @Override
    public boolean takeStaged(java.util.UUID uploadId, String key) throws IOException {
        try (Connection connection = database.getConnection()) {
            delete(connection, key);
            try (PreparedStatement rename = connection.prepareStatement(
                    "update stored_file_parts set file_key = ? where file_key = ?")) {
                rename.setString(1, key);
                rename.setString(2, StagedChunks.key(uploadId));
                rename.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IOException("Keeping upload " + uploadId + " as " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try (Connection connection = database.getConnection()) {
            delete(connection, key);
        } catch (SQLException e) {
            throw new IOException("Deleting " + key + " failed: " + e.getMessage(), e);
        }
    }

    private static void delete(Connection connection, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from stored_file_parts where file_key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }

    /** Reads the range a part's slice at a time, each in its own short query. */
    private final class PartReader extends InputStream {
        private final String key;
        private long position;
        private final long end;
        private byte[] slice = new byte[0];
        private int inSlice;

        PartReader(String key, long offset, long length) {
            this.key = key;
            this.position = offset;
            this.end = offset + length;
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
            if (inSlice == slice.length && !fetch()) {
                return -1;
            }
            int count = Math.min(wanted, slice.length - inSlice);
            System.arraycopy(slice, inSlice, into, at, count);
            inSlice += count;
            return count;
        }

        /** The rest of the part holding {@code position}, up to the end of the range: the last part at or before it. */
        private boolean fetch() throws IOException {
            if (position >= end) {
                return false;
            }
            int count = (int) Math.min(PART_BYTES, end - position);
            try (Connection connection = database.getConnection();
                    PreparedStatement query = connection.prepareStatement("""
                            select substring(data from (?::bigint - part_offset + 1)::int for ?) from stored_file_parts
                             where file_key = ? and part_offset <= ? order by part_offset desc limit 1""")) {
                query.setLong(1, position);
                query.setInt(2, count);
                query.setString(3, key);
                query.setLong(4, position);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next() || (slice = rows.getBytes(1)).length == 0) {
                        throw new IOException("The stored file " + key + " has no bytes at " + position);
                    }
                }
            } catch (SQLException e) {
                throw new IOException("Reading " + key + " failed: " + e.getMessage(), e);
            }
            inSlice = 0;
            position += slice.length;
            return true;
        }
    }
}
