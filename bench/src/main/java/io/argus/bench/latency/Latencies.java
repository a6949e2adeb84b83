package io.argus.bench.latency;

import java.util.Arrays;

/** The p50, p99 and max of measured durations, in milliseconds (nearest-rank percentiles, no interpolation). */
record Latencies(double p50Millis, double p99Millis, double maxMillis) {

    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no durations measured");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)), millis(sorted[sorted.length - 1]));
    }

    private static long rank(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
