package dev.parley.server.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long what the server no longer needs is kept, from {@code parley.retention.*} or {@code PARLEY_RETENTION_*}.
 * Messages are not among it: they are kept for as long as their conversation exists, unless a group sets a
 * retention of its own (Conversation.message_retention, purged by {@link Purge#expiredMessages()}).
 */
@ConfigMapping(prefix = "parley.retention")
public interface RetentionConfig {

    /** Events older than this are purged from the log; a resume from before them is refused with EVENTS_EXPIRED. */
    @WithDefault("P30D")
    Duration events();

    /** Webhook deliveries kept after they were delivered or given up, for looking into a bot's troubles. */
    @WithDefault("P7D")
    Duration webhookDeliveries();

    /**
     * Refresh and reset tokens kept after they expired. A used refresh token stays until then too, so that its
     * reuse (a sign it was stolen) is still recognised and ends the session.
     */
    @WithDefault("P1D")
    Duration expiredTokens();

    /** Sessions and bot tokens kept after they were revoked or expired, for looking into how an account was used. */
    @WithDefault("P30D")
    Duration endedSessions();

    /** How often the purges run (on one node of a cluster at a time). */
    @WithDefault("PT10M")
    Duration interval();

    /** Rows one purge statement deletes, in its own short transaction. */
    @WithDefault("2000")
    int batchSize();

    /** The pause between two batches, which leaves the database to the writes that matter. */
    @WithDefault("PT0.05S")
    Duration batchPause();
}
