package dev.parley.server.cluster;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Window counts in Redis while Redis answers, in this node's memory while it does not: log-in throttling (and
 * everything else counted) keeps working through a Redis outage, each node counting on its own. After a failure
 * Redis is left alone for a few seconds, so that a dead Redis costs one timeout, not one per log-in.
 */
final class FallbackWindowCounter implements WindowCounter {

    private static final Logger LOG = Logger.getLogger(FallbackWindowCounter.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(5).toNanos();

    private final WindowCounter shared;
    private final WindowCounter local;
    private volatile long sharedAgainAt = System.nanoTime();

    FallbackWindowCounter(WindowCounter shared, WindowCounter local) {
        this.shared = shared;
        this.local = local;
    }

    @Override
    public Count hit(String key, Duration window) {
        if (usingShared()) {
            try {
                return shared.hit(key, window);
            } catch (RuntimeException e) {
                sharedFailed(e);
            }
        }
        return local.hit(key, window);
    }

    @Override
    public Count peek(String key) {
        if (usingShared()) {
            try {
                return shared.peek(key);
            } catch (RuntimeException e) {
                sharedFailed(e);
            }
        }
        return local.peek(key);
    }

    @Override
    public void undo(String key) {
        if (usingShared()) {
            try {
                shared.undo(key);
                return;
            } catch (RuntimeException e) {
                sharedFailed(e);
            }
        }
        local.undo(key);
    }

    private boolean usingShared() {
        return System.nanoTime() - sharedAgainAt >= 0;
    }

    private void sharedFailed(RuntimeException e) {
        if (usingShared()) {
            LOG.warnf("Redis unreachable for rate limits (%s): counting on this node alone for now", e.getMessage());
        }
        sharedAgainAt = System.nanoTime() + RETRY_NANOS;
    }
}
