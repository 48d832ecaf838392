package dev.parley.server.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Webhook delivery, from {@code parley.webhooks.*} or {@code PARLEY_WEBHOOKS_*}. */
@ConfigMapping(prefix = "parley.webhooks")
public interface WebhookConfig {

    /** How often each node looks for due deliveries. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** The wait after a first failure; it doubles after each further one, up to {@link #maxBackoff()}. */
    @WithDefault("PT5S")
    Duration initialBackoff();

    @WithDefault("PT1H")
    Duration maxBackoff();

    /** A delivery failing for this long after it was queued is given up (marked dead). */
    @WithDefault("PT24H")
    Duration giveUpAfter();

    /** The whole of one attempt: connecting, sending, the answer's headers and body. */
    @WithDefault("PT10S")
    Duration timeout();

    /**
     * Networks (CIDR, comma-separated) webhooks may reach although they are loopback, private or link-local, for
     * a bot running beside the server; by default none: webhooks go to public addresses only.
     */
    java.util.Optional<java.util.List<String>> allowedNetworks();

    /** Deliveries a node has in flight at most, each to a different bot. */
    @WithDefault("8")
    int batchSize();
}
