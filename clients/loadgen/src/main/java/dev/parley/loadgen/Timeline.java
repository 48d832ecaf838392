package dev.parley.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivery latencies by the second their message was sent in. A p99 over a whole run is set by its worst fifth of
 * a second at 200 deliveries per message, so the run's tail is explained only by when it happened: at the start
 * (code not yet compiled), in one burst (a collection, a checkpoint) or spread evenly (cost).
 */
final class Timeline {

    private final int messagesPerSecond;
    private final List<long[]> buckets = new ArrayList<>();
    private final int[] counts;

    Timeline(int messages, int messagesPerSecond) {
        this.messagesPerSecond = Math.max(1, messagesPerSecond);
        int seconds = (messages + this.messagesPerSecond - 1) / this.messagesPerSecond;
        counts = new int[seconds];
        for (int i = 0; i < seconds; i++) {
            buckets.add(new long[1024]);
        }
    }

    synchronized void add(int sequence, long micros) {
        int second = Math.min(counts.length - 1, sequence / messagesPerSecond);
        long[] bucket = buckets.get(second);
        if (counts[second] == bucket.length) {
            bucket = Arrays.copyOf(bucket, bucket.length * 2);
            buckets.set(second, bucket);
        }
        bucket[counts[second]++] = micros;
    }

    /** One line per second sent: p50 / p99 / max in ms. */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int second = 0; second < counts.length; second++) {
            long[] sorted = Arrays.copyOf(buckets.get(second), counts[second]);
            Arrays.sort(sorted);
            lines.add(String.format("second %3d: %6d deliveries, p50 %8.1f, p99 %8.1f, max %8.1f ms", second,
                    sorted.length, at(sorted, 0.5), at(sorted, 0.99), at(sorted, 1.0)));
        }
        return lines;
    }

    /** The seconds whose p99 was the worst, and how many seconds met 50 ms. */
    synchronized Map<String, Object> summary() {
        double worst = 0;
        int worstSecond = -1;
        int over50 = 0;
        for (int second = 0; second < counts.length; second++) {
            long[] sorted = Arrays.copyOf(buckets.get(second), counts[second]);
            Arrays.sort(sorted);
            double p99 = at(sorted, 0.99);
            if (p99 > 50) {
                over50++;
            }
            if (p99 > worst) {
                worst = p99;
                worstSecond = second;
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("worst_second", worstSecond);
        summary.put("worst_second_p99_ms", worst);
        summary.put("seconds_over_50ms_p99", over50);
        summary.put("seconds", counts.length);
        return summary;
    }

    private static double at(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1000.0;
    }
}
