package dev.parley.server.live;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets at most one typing notice per person and conversation through to this node's streams every
 * {@link StreamConfig#typingInterval()}, however often it is sent and through whichever nodes: a notice lasts longer
 * than the interval, so the members see the same thing, and a client that sends one per keystroke costs each
 * stream one item, not fifty. Applied where notices arrive, not where they are sent, because behind a proxy one
 * client's calls may land on every node in turn; what a sender can publish at all is bounded by its typing limit.
 */
final class TypingCoalescer {

    private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();
    private final long intervalNanos;
    private volatile long sweptAt = System.nanoTime();

    TypingCoalescer(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Whether this notice goes to the streams; false when one from the same person went within the interval. */
    boolean passes(String personId, String conversationId) {
        long now = System.nanoTime();
        boolean[] passed = {false};
        lastPassed.compute(personId + ":" + conversationId, (key, last) -> {
            if (last == null || now - last >= intervalNanos) {
                passed[0] = true;
                return now;
            }
            return last;
        });
        if (now - sweptAt >= intervalNanos) { // at most once an interval: what is over behaves as new
            sweptAt = now;
            lastPassed.values().removeIf(last -> now - last >= intervalNanos);
        }
        return passed[0];
    }
}
