package dev.parley.server.limits;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's token buckets, one per account and kind of write, in memory: a take costs a map lookup and a few
 * arithmetic operations on the calling thread, so limits add nothing measurable to a send. A bucket can also be
 * closed for a while, when the cluster as a whole has used up what the key may do ({@link ClusterUsage}). Full,
 * open buckets are dropped by {@link #sweep}, so memory follows the accounts writing now, not all accounts.
 */
@ApplicationScoped
class TokenBuckets {

    private static final class Bucket {
        private final double perNano;
        private final int burst;
        private double tokens;
        private long refilledAt;
        private long closedUntil;

        Bucket(double perSecond, int burst, long now) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
            this.refilledAt = now;
        }

        /** Takes a token, or says how long until one is there (nanoseconds). */
        synchronized long take(long now) {
            if (now < closedUntil) {
                return closedUntil - now;
            }
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized void closeUntil(long until) {
            closedUntil = Math.max(closedUntil, until);
        }

        synchronized boolean idleAt(long now) {
            return now >= closedUntil && tokens + (now - refilledAt) * perNano >= burst;
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes one token from the key's bucket; {@link Duration#ZERO} if it had one, else the wait for the next. */
    Duration take(String key, LimitsConfig.Rate rate, double scale) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(rate.perSecond() * scale,
                (int) Math.max(1, Math.round(rate.burst() * scale)), now));
        return Duration.ofNanos(bucket.take(now));
    }

    /** Refuses the key's writes on this node for a while, whatever its bucket holds. */
    void close(String key, Duration period) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.closeUntil(System.nanoTime() + period.toNanos());
        }
    }

    /** Forgets buckets that are open and full again, which behave exactly like new ones. */
    void sweep() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.idleAt(now));
    }
}
