package dev.parley.server.limits;

import dev.parley.server.cluster.NodeBus;
import dev.parley.server.cluster.UsageTallies;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Makes the limits cluster-wide. Each node's buckets alone would let an account spread over N nodes write N times
 * its limit; so every node adds what it let through to a tally per key in Redis twice a second, and when an
 * account's tally for the current 10-second window passes what one bucket allows in it (burst plus the window's
 * refill), every node refuses that key until the window ends. Off the calls' path: a write only bumps a counter.
 * Without Redis (single node, or Redis down) nothing is tallied and each node limits on its own.
 */
@Startup
@ApplicationScoped
class ClusterUsage {

    private static final Logger LOG = Logger.getLogger(ClusterUsage.class);
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final long ROUND_MILLIS = 500;

    private final boolean clustered;
    private final UsageTallies tallies;
    private final TokenBuckets buckets;
    private final Map<String, LongAdder> letThrough = new ConcurrentHashMap<>();
    private final Map<String, Long> allowances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-limit-tallies"));

    ClusterUsage(NodeBus bus, UsageTallies tallies, TokenBuckets buckets) {
        this.clustered = bus.clustered();
        this.tallies = tallies;
        this.buckets = buckets;
    }

    @PostConstruct
    void start() {
        if (clustered) {
            rounds.scheduleWithFixedDelay(this::round, ROUND_MILLIS, ROUND_MILLIS, TimeUnit.MILLISECONDS);
        }
        rounds.scheduleWithFixedDelay(buckets::sweep, 60, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        rounds.shutdownNow();
    }

    /** Counts a write this node let through, for the next round's tally. */
    void letThrough(String key, LimitsConfig.Rate rate, double scale) {
        if (clustered) {
            letThrough.computeIfAbsent(key, k -> {
                allowances.put(k, Math.round((rate.burst() + rate.perSecond() * WINDOW.toSeconds()) * scale));
                return new LongAdder();
            }).increment();
        }
    }

    private void round() {
        try {
            Map<String, Long> counts = new HashMap<>();
            letThrough.forEach((key, count) -> {
                long n = count.sumThenReset();
                if (n > 0) {
                    counts.put(key, n);
                }
            });
            letThrough.keySet().retainAll(counts.keySet()); // keys idle for a round start afresh when they write
            long windowMillis = WINDOW.toMillis();
            Duration rest = Duration.ofMillis(windowMillis - System.currentTimeMillis() % windowMillis);
            tallies.add(counts, WINDOW).forEach((key, tally) -> {
                Long allowance = allowances.get(key);
                if (allowance != null && tally > allowance) {
                    buckets.close(key, rest);
                }
            });
            allowances.keySet().retainAll(letThrough.keySet());
        } catch (RuntimeException e) {
            LOG.warnf("limit tally round failed: %s", e.toString()); // each node keeps limiting on its own
        }
    }
}
