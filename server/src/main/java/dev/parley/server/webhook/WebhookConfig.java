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

    /** Connect and answer timeout of one attempt. */
    @WithDefault("PT10S")
    Duration timeout();

    /** Deliveries a node claims at a time, and sends in parallel. */
    @WithDefault("8")
    int batchSize();
}
