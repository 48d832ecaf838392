package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Files in PostgreSQL ({@link StoredParts}): the chunks a file was uploaded in, kept as they came, or parts of 1 MiB
 * written afresh, so that no statement carries a whole file and a ranged read fetches only the slices it needs (the
 * parts are stored uncompressed, so PostgreSQL reads just those). Inside a transaction the writes join it.
 */
final class PostgresFileStore implements FileStore {

    private final DataSource database;

    PostgresFileStore(DataSource database) {
        this.database = database;
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        try (Connection connection = database.getConnection()) {
            StoredParts.delete(connection, key);
            for (long offset = 0; offset < length; offset += StoredParts.PART_BYTES) {
                int wanted = (int) Math.min(StoredParts.PART_BYTES, length - offset);
                byte[] part = content.readNBytes(wanted);
                if (part.length != wanted) {
                    throw new IOException("The file ended " + (length - offset - part.length) + " bytes early");
                }
                StoredParts.insert(connection, key, offset, part);
            }
        } catch (SQLException e) {
            throw new IOException("Storing " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        return StoredParts.reader(database, key, offset, length);
    }

    @Override
    public boolean takeStaged(UUID uploadId, String key) throws IOException {
        try (Connection connection = database.getConnection()) {
            StoredParts.delete(connection, key);
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
            StoredParts.delete(connection, key);
        } catch (SQLException e) {
            throw new IOException("Deleting " + key + " failed: " + e.getMessage(), e);
        }
    }
}
