package io.argus.streams.bench;

import io.argus.streams.app.ArgusConfig;
import io.argus.streams.app.ArgusStreams;
import io.argus.streams.fold.Effect;
import io.argus.streams.topology.FoldCounters;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/** One run of the real Argus app ({@link ArgusStreams#start}) over the pre-filled events topic. */
final class ArgusFoldRun {

    private ArgusFoldRun() {
    }

    /** @param config from {@link BenchStack#appConfig}: a fresh application id and state directory */
    static Measurement run(ArgusConfig config, long n, Duration timeout) {
        String what = "Argus " + config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        long started = System.nanoTime();
        ArgusStreams app = ArgusStreams.start(config);
        try {
            FoldCounters counters = app.counters();
            Measurement measured = RateProbe.measure(what, n, started, () -> processed(counters),
                () -> app.streams().state(), timeout);
            if (counters.deadLetters() > 0) {
                throw new IllegalStateException(what + " dead-lettered records of a valid log: "
                    + counters.deadLettersByReason());
            }
            return measured.withDetail(effects(counters));
        } finally {
            app.close();
            BenchStack.deleteState(config);
        }
    }

    /** Every record the fold finished, whatever it did with it. */
    static long processed(FoldCounters counters) {
        return Arrays.stream(Effect.values()).mapToLong(counters::events).sum() + counters.deadLetters();
    }

    /** For example {@code APPLIED 191234, DUPLICATE 4321, STALE 0, IGNORED 0, dead letters 0}. */
    static String effects(FoldCounters counters) {
        return Arrays.stream(Effect.values()).map(e -> e + " " + counters.events(e)).collect(Collectors.joining(", "))
            + ", dead letters " + counters.deadLetters();
    }
}
