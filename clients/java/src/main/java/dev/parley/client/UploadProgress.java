package dev.parley.client;

/** Told how far an upload has got, after each chunk the server acknowledged. */
@FunctionalInterface
public interface UploadProgress {

    /** {@code bytes} of the file's {@code of} are on the server. */
    void sent(long bytes, long of);
}
