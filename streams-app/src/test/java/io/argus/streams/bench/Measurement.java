package io.argus.streams.bench;

import java.util.Locale;

/**
 * One timed run, timed from the first poll that saw a record processed to the first poll that saw all N processed.
 *
 * @param n             the records in the topic
 * @param records       processed within the timed window: N minus those already done at the first poll that saw one
 *                      (plus any redone, see {@code total})
 * @param nanos         the timed window
 * @param total         processed in the whole run: more than N when exactly-once aborted a transaction and redid it
 * @param startupMillis from {@code start()} to the first record seen (rebalance, store init): not part of the rate
 * @param detail        what the app did with the records, when it says (empty otherwise)
 */
record Measurement(long n, long records, long nanos, long total, long startupMillis, String detail) {

    Measurement withDetail(String detail) {
        return new Measurement(n, records, nanos, total, startupMillis, detail);
    }

    double eventsPerSecond() {
        return records * 1e9 / nanos;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,8.0f events/s (%,d in %.2f s; first record %.1f s after start%s)",
            eventsPerSecond(), records, nanos / 1e9, startupMillis / 1000.0,
            total > n ? String.format(Locale.ROOT, "; %,d redone after an aborted transaction", total - n) : "")
            + (detail.isEmpty() ? "" : "; " + detail);
    }
}
