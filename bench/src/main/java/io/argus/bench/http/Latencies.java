package io.argus.bench.http;

import io.argus.bench.Percentiles;
import java.util.Arrays;

/**
 * The latencies of one timed phase, every request's (errors included, so a failing service cannot look fast),
 * kept whole and sorted at the end: HdrHistogram is not on the classpath and a phase has at most some 10^5
 * requests. Thread-safe; the lock is held for nanoseconds, far below the latencies measured.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;
    private long errors;
    private long events;
    private String firstError;

    synchronized void ok(long latencyNanos, int eventCount) {
        add(latencyNanos);
        events += eventCount;
    }

    synchronized void error(long latencyNanos, String what) {
        add(latencyNanos);
        errors++;
        if (firstError == null) {
            firstError = what;
        }
    }

    /** Requests that never completed (still queued or in flight when the phase was cut off). */
    synchronized void unfinished(long requests) {
        errors += requests;
        if (firstError == null && requests > 0) {
            firstError = requests + " request(s) unfinished when the phase ended";
        }
    }

    synchronized long recorded() {
        return count;
    }

    /**
     * The result over {@code elapsedNanos} of timed load that began at {@code startedEpochMillis} (wall clock);
     * {@code sent} counts unfinished requests too.
     */
    synchronized LoadResult result(long sent, long startedEpochMillis, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        Percentiles percentiles = count == 0 ? new Percentiles(Double.NaN, Double.NaN, Double.NaN)
            : Percentiles.of(Arrays.copyOf(nanos, count));
        return new LoadResult(sent, errors, events, percentiles.p50Millis(), percentiles.p99Millis(),
            percentiles.maxMillis(), count / seconds, events / seconds, startedEpochMillis, firstError);
    }

    private void add(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }
}
