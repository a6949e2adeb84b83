package io.argus.streams.bench;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Times a Kafka Streams app through its processed-record counter: polls every {@value #FIRST_RECORD_POLL_MS} ms until
 * the first record is processed (the clock starts there: rebalance and store init are left out), then every
 * {@value #DONE_POLL_MS} ms until all N are. Fails at once when the app leaves RUNNING/REBALANCING, and at the
 * deadline.
 */
final class RateProbe {

    static final long FIRST_RECORD_POLL_MS = 1;
    static final long DONE_POLL_MS = 10;
    static final String CLOCK = "timed from the first record processed (seen by a " + FIRST_RECORD_POLL_MS
        + " ms poll) until all N are processed (" + DONE_POLL_MS + " ms poll); transactions may still be committing";

    private static final Set<KafkaStreams.State> ALIVE = EnumSet.of(KafkaStreams.State.CREATED,
        KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

    private RateProbe() {
    }

    /** @param startedNanos when {@code start()} was called */
    static Measurement measure(String what, long n, long startedNanos, LongSupplier processed,
                               Supplier<KafkaStreams.State> state, Duration timeout) {
        long deadline = startedNanos + timeout.toNanos();
        long first;
        while ((first = processed.getAsLong()) == 0) {
            check(what, n, 0, state, deadline, timeout);
            Waits.sleep(FIRST_RECORD_POLL_MS);
        }
        long from = System.nanoTime();
        long done;
        while ((done = processed.getAsLong()) < n) {
            check(what, n, done, state, deadline, timeout);
            Waits.sleep(DONE_POLL_MS);
        }
        long to = System.nanoTime();
        return new Measurement(n, done - first, to - from, done, (from - startedNanos) / 1_000_000, "");
    }

    private static void check(String what, long n, long processed, Supplier<KafkaStreams.State> state, long deadline,
                              Duration timeout) {
        KafkaStreams.State now = state.get();
        if (!ALIVE.contains(now)) {
            throw new IllegalStateException(what + " stopped in state " + now + " after " + processed + " of " + n
                + " records");
        }
        if (System.nanoTime() - deadline >= 0) {
            throw new IllegalStateException(what + " processed only " + processed + " of " + n + " records within "
                + timeout.toSeconds() + " s (state " + now + ")");
        }
    }
}
