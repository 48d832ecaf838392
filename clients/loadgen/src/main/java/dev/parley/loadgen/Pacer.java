package dev.parley.loadgen;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces sends at a fixed rate, catching up if late rather than drifting. Time is the JVM's monotonic clock in
 * microseconds: senders and receivers share one process, so it is the same clock for both ends of a latency.
 */
final class Pacer {

    private final long start = System.nanoTime();
    private final double intervalNanos;

    Pacer(double perSecond) {
        this.intervalNanos = 1e9 / perSecond;
    }

    static long micros() {
        return System.nanoTime() / 1000;
    }

    /** Waits until the i-th send is due (parking in steps of about a millisecond, then spinning). */
    void awaitTurn(long i) {
        long due = start + (long) (i * intervalNanos);
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            if (left > 1_200_000) {
                LockSupport.parkNanos(left - 1_000_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
