package dev.parley.server.presence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Presence timing, from {@code parley.presence.*} or {@code PARLEY_PRESENCE_*}. */
@ConfigMapping(prefix = "parley.presence")
public interface PresenceConfig {

    /** How long a node's word that someone is connected lasts unless renewed; bounds offline after a node dies. */
    @WithDefault("PT25S")
    Duration ttl();

    /** How long someone stays online after their last stream closes, so a reconnect does not flicker. */
    @WithDefault("PT5S")
    Duration grace();

    /** How long a typing notice lasts unless renewed. */
    @WithDefault("PT6S")
    Duration typingLifetime();
}
