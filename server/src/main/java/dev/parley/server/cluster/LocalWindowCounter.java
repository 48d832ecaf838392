package dev.parley.server.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Window counts held in this process, for the single-node mode. Expired windows are dropped as they are met. */
final class LocalWindowCounter implements WindowCounter {

    private record Window(long value, Instant end) {
    }

    private static final int SWEEP_ABOVE = 10_000;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    LocalWindowCounter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Count hit(String key, Duration length) {
        Instant now = clock.instant();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> !w.end().isAfter(now));
        }
        Window window = windows.compute(key, (k, open) -> open == null || !open.end().isAfter(now)
                ? new Window(1, now.plus(length))
                : new Window(open.value() + 1, open.end()));
        return new Count(window.value(), Duration.between(now, window.end()));
    }

    @Override
    public void undo(String key) {
        Instant now = clock.instant();
        windows.computeIfPresent(key, (k, open) -> open.end().isAfter(now) && open.value() > 0
                ? new Window(open.value() - 1, open.end()) : open);
    }

    @Override
    public Count peek(String key) {
        Instant now = clock.instant();
        Window window = windows.get(key);
        if (window == null || !window.end().isAfter(now)) {
            return new Count(0, Duration.ZERO);
        }
        return new Count(window.value(), Duration.between(now, window.end()));
    }
}
