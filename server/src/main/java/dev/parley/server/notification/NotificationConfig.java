package dev.parley.server.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Notifications, from {@code parley.notifications.*} or {@code PARLEY_NOTIFICATIONS_*}. */
@ConfigMapping(prefix = "parley.notifications")
interface NotificationConfig {

    /** How often each node looks for queued messages and due pushes. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** At most one push per device and conversation in this long; messages meanwhile raise its count. */
    @WithDefault("PT30S")
    Duration coalesce();

    /** The wait after a push service's first failure; it doubles after each further one, up to maxBackoff. */
    @WithDefault("PT5S")
    Duration initialBackoff();

    @WithDefault("PT1H")
    Duration maxBackoff();

    /** A push failing for this long after its first message is dropped (the messages stay unread, of course). */
    @WithDefault("PT24H")
    Duration giveUpAfter();

    /** The whole of one push: connecting, sending, the answer. */
    @WithDefault("PT10S")
    Duration timeout();

    /** How long a push service keeps a push for a device that is off (the TTL header), in seconds. */
    @WithDefault("86400")
    int timeToLiveSeconds();

    /** Who a push service may contact about this deployment's pushes (VAPID's "sub"): a mailto: or https: URL. */
    @WithDefault("mailto:admin@parley.invalid")
    String vapidSubject();

    /** How often one node looks for e-mail digests to send. */
    @WithDefault("PT5M")
    Duration digestInterval();

    /** Pushes a node claims at once, and has in flight at most. */
    @WithDefault("200")
    int batchSize();

    /** Connections a node keeps to one push service (one host serves many subscriptions). */
    @WithDefault("16")
    int connectionsPerHost();
}
