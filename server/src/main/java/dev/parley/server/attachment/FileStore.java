package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of completed files live, behind one port: PostgreSQL by default ({@link PostgresFileStore}), so
 * that a server with nothing configured keeps files, and every replica sees them. Uploads in progress never reach
 * it: their chunks wait in PostgreSQL until the upload is completed, checked and cleaned of metadata.
 */
interface FileStore {

    /** Stores {@code length} bytes read from {@code content} under the key, replacing whatever was there. */
    void put(String key, InputStream content, long length) throws IOException;

    /** The bytes from {@code offset}, {@code length} of them, as a stream the caller closes. */
    InputStream open(String key, long offset, long length) throws IOException;

    /** Removes the file; nothing happens for a key that holds none. */
    void delete(String key) throws IOException;

    /**
     * Makes an upload's staged chunks ({@link StagedChunks}) the file under {@code key} without copying them, in the
     * caller's transaction, where the store can: PostgreSQL's keeps both in one table and renames them. False when
     * the bytes must be copied with {@link #put}, as into S3.
     */
    default boolean takeStaged(java.util.UUID uploadId, String key) throws IOException {
        return false;
    }
}
