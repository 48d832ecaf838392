package dev.parley.server.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * Per-account write rate limits, from {@code parley.limits.*} or {@code PARLEY_LIMITS_*}: for each kind of write
 * ({@link WriteKind}) a token bucket, for people and for bots apart (defaults in application.properties); and the
 * caps on what one account may hold.
 */
@ConfigMapping(prefix = "parley.limits")
public interface LimitsConfig {

    /** Multiplies every rate and burst: 2 doubles them all (benchmarks measure throughput with it at 1000). */
    @WithDefault("1")
    double scale();

    /**
     * Conversations one account may be in at once (direct ones included). Joining, being added to or starting one
     * more is refused with RESOURCE_EXHAUSTED, reason MEMBERSHIP_LIMIT, until the account leaves one.
     */
    @WithDefault("10000")
    int membershipsPerAccount();

    /** Active bots one person may own; CreateBot past it is refused with RESOURCE_EXHAUSTED, reason BOT_LIMIT. */
    @WithDefault("25")
    int botsPerOwner();

    /** People's buckets, by {@link WriteKind} key. */
    Map<String, Rate> people();

    /** Bots' buckets, by {@link WriteKind} key. */
    Map<String, Rate> bots();

    /** A token bucket: refilled at {@code perSecond}, holding at most {@code burst}, so bursts pass and floods do not. */
    interface Rate {
        double perSecond();

        int burst();
    }
}
