package dev.parley.server.presence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets at most one typing notice per person and conversation through every {@link PresenceConfig#typingInterval()}
 * on this node, however often a client sends them: a notice lasts longer than that interval, so the members see the
 * same thing, and a client that sends one per keystroke costs one fan-out, not fifty. The ones held back are
 * still checked (member, conversation not archived) and answered as usual.
 */
@ApplicationScoped
class TypingCoalescer {

    private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();
    private final long intervalNanos;

    TypingCoalescer(PresenceConfig config) {
        this.intervalNanos = config.typingInterval().toNanos();
    }

    /** Whether this notice goes to the members; false when one from the same person went within the interval. */
    boolean passes(UUID personId, UUID conversationId) {
        long now = System.nanoTime();
        boolean[] passed = {false};
        lastPassed.compute(personId + ":" + conversationId, (key, last) -> {
            if (last == null || now - last >= intervalNanos) {
                passed[0] = true;
                return now;
            }
            return last;
        });
        if (lastPassed.size() > 10_000) {
            lastPassed.values().removeIf(last -> now - last >= intervalNanos); // what is over behaves as new
        }
        return passed[0];
    }
}
