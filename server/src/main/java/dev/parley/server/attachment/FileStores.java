package dev.parley.server.attachment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** The file store this server was configured with (PARLEY_ATTACHMENTS_STORE), made once. */
@ApplicationScoped
class FileStores {

    private static final Logger LOG = Logger.getLogger(FileStores.class);

    @Produces
    @ApplicationScoped
    FileStore store(AttachmentConfig config, DataSource database) {
        return switch (config.store()) {
            case "postgresql" -> new PostgresFileStore(database);
            case "s3" -> {
                LOG.infof("Attachments: files are kept in the S3 bucket %s%s", config.s3().bucket().orElse("?"),
                        config.s3().endpoint().map(endpoint -> " at " + endpoint).orElse(""));
                yield new S3FileStore(config.s3());
            }
            default -> throw new IllegalStateException("PARLEY_ATTACHMENTS_STORE must be postgresql or s3, not "
                    + config.store());
        };
    }

    void close(@Disposes FileStore store) {
        if (store instanceof S3FileStore s3) {
            s3.close();
        }
    }
}
