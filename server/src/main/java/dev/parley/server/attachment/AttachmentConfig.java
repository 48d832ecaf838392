package dev.parley.server.attachment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Files sent with messages, from {@code parley.attachments.*} or {@code PARLEY_ATTACHMENTS_*}. */
@ConfigMapping(prefix = "parley.attachments")
public interface AttachmentConfig {

    /** The largest file, in bytes (25 MiB). */
    @WithDefault("26214400")
    long maxBytes();

    /** What one account's files and uploads in progress may hold together, in bytes (1 GiB). */
    @WithDefault("1073741824")
    long quotaBytes();

    /** How long an upload may stay unsent, completed or not, before it is dropped with its bytes. */
    @WithDefault("P1D")
    Duration unsentKeptFor();

    /** How long a download address from GetAttachmentLink works. */
    @WithDefault("PT5M")
    Duration linkLifetime();

    /** How often dropped uploads and the files of deleted messages are purged (one node at a time). */
    @WithDefault("PT10M")
    Duration purgeInterval();
}
