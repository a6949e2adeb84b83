package io.argus.bench;

import java.util.Arrays;

/**
 * The p50, p99 and max of measured durations, in milliseconds: nearest rank, the smallest duration that at least
 * that share of the samples did not exceed (no interpolation).
 */
public record Percentiles(double p50Millis, double p99Millis, double maxMillis) {

    public static Percentiles of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no durations measured");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)),
            millis(sorted[sorted.length - 1]));
    }

    private static long rank(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
