package dev.parley.server.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Files in S3-compatible object storage, one object per file, streamed in and out (never held whole): a put with the
 * length known, a ranged get for downloads. Checksums are sent only where S3 requires them: the SDK's default
 * (a trailing checksum in aws-chunked encoding) is not understood by every S3-compatible server. An object written
 * for an upload whose transaction then fails stays behind unreferenced; nothing reads it.
 */
final class S3FileStore implements FileStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3FileStore.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3FileStore(AttachmentConfig.S3 config) {
        this.bucket = config.bucket().orElseThrow(() -> new IllegalStateException(
                "PARLEY_ATTACHMENTS_STORE=s3 needs PARLEY_ATTACHMENTS_S3_BUCKET"));
        this.prefix = config.prefix();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(config.region()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(config.accessKey().isPresent() && config.secretKey().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey().get(),
                                config.secretKey().get()))
                        : DefaultCredentialsProvider.builder().build());
        config.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)); // S3-compatible servers rarely have a DNS name per bucket
        this.s3 = builder.build();
        ensureBucket();
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        try {
            s3.putObject(put -> put.bucket(bucket).key(prefix + key).contentLength(length),
                    RequestBody.fromInputStream(content, length));
        } catch (SdkException e) {
            throw new IOException("Storing " + key + " in S3 bucket " + bucket + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(get -> get.bucket(bucket).key(prefix + key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (SdkException e) {
            throw new IOException("Reading " + key + " from S3 bucket " + bucket + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw new IOException("Deleting " + key + " from S3 bucket " + bucket + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Makes the bucket when it does not exist yet, so that a new deployment needs no step of its own. */
    private void ensureBucket() {
        try {
            s3.headBucket(head -> head.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(create -> create.bucket(bucket));
            LOG.infof("Attachments: made the S3 bucket %s", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IllegalStateException("The S3 bucket " + bucket + " cannot be used: " + e.getMessage(), e);
            }
            s3.createBucket(create -> create.bucket(bucket));
            LOG.infof("Attachments: made the S3 bucket %s", bucket);
        } catch (SdkException e) {
            throw new IllegalStateException("The S3 storage cannot be reached: " + e.getMessage(), e);
        }
    }
}
