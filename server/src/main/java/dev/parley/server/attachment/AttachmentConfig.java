package dev.parley.server.attachment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

    /**
     * Where completed files are kept: {@code postgresql} (the default: works with nothing configured, and across
     * replicas) or {@code s3}, any S3-compatible object storage ({@link #s3()}).
     */
    @WithDefault("postgresql")
    String store();

    /** The object storage, when {@link #store()} is {@code s3}: {@code PARLEY_ATTACHMENTS_S3_*}. */
    S3 s3();

    /** An S3 bucket and how to reach it. */
    interface S3 {

        /** The bucket; made at start if it does not exist. */
        Optional<String> bucket();

        /** Another S3-compatible service than AWS's (MinIO, Ceph, S3Proxy), such as http://minio:9000. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** With the secret key, the credentials; when unset, the AWS SDK's default chain (environment, profile, IAM role). */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Keys put under this prefix in the bucket. */
        @WithDefault("attachments/")
        String prefix();
    }
}
