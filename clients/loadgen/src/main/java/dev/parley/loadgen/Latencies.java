package dev.parley.loadgen;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples in microseconds, summarised as milliseconds. Thread-safe. */
final class Latencies {

    private long[] samples = new long[1 << 16];
    private int count;

    synchronized void add(long micros) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = micros;
    }

    /** Adds the first {@code n} of the given samples. */
    synchronized void addAll(long[] values, int n) {
        if (count + n > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(samples.length * 2, count + n));
        }
        System.arraycopy(values, 0, samples, count, n);
        count += n;
    }

    synchronized int count() {
        return count;
    }

    synchronized Map<String, Object> summary() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("p50", percentile(sorted, 0.50));
        summary.put("p90", percentile(sorted, 0.90));
        summary.put("p99", percentile(sorted, 0.99));
        summary.put("p999", percentile(sorted, 0.999));
        summary.put("max", sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1000.0);
        summary.put("mean", sorted.length == 0 ? 0.0 : Arrays.stream(sorted).average().orElse(0) / 1000.0);
        return summary;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0.0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1000.0;
    }
}
