package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The rows of stored_file_parts (V13) under one key: an upload's staged chunks ({@link StagedChunks}) or a file of
 * the PostgreSQL store ({@link PostgresFileStore}). Parts are at most {@link #PART_BYTES} each and may differ in size
 * (the chunks a file was uploaded in); they are read one slice at a time, each in its own short query, so a reader
 * never holds a pooled connection while its consumer is slow, and inside a transaction joins it.
 */
final class StoredParts {

    static final int PART_BYTES = 1 << 20;

    private StoredParts() {
    }

    static void insert(Connection connection, String key, long offset, byte[] bytes) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into stored_file_parts (file_key, part_offset, data) values (?, ?, ?)")) {
            insert.setString(1, key);
            insert.setLong(2, offset);
            insert.setBytes(3, bytes);
            insert.executeUpdate();
        }
    }

    static void delete(Connection connection, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from stored_file_parts where file_key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }

    /** The bytes under the key from {@code offset}, {@code length} of them; a missing part is an IOException. */
    static InputStream reader(DataSource database, String key, long offset, long length) {
        return new Reader(database, key, offset, length);
    }

    private static final class Reader extends InputStream {
        private final DataSource database;
        private final String key;
        private final long end;
        private long position;
        private byte[] slice = new byte[0];
        private int inSlice;

        Reader(DataSource database, String key, long offset, long length) {
            this.database = database;
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
