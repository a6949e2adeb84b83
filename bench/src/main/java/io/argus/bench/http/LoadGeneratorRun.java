package io.argus.bench.http;

import io.argus.bench.BenchContext;
import io.argus.bench.ChildJvm;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@link LoadGenerator} once in a fresh child JVM and reads back its result line: to its end, or started and
 * left to run while the caller watches the service.
 */
final class LoadGeneratorRun {

    /**
     * GET senders, each with its own connection and share of the schedule: at 2,000 req/s each has 500 req/s, that
     * is 2 ms per request against about 0.5 ms per answer, so a sender falls behind only when the service does.
     */
    private static final int GET_SENDERS = 4;
    /** Beyond warm-up and timed load: JVM start, draining the last requests. */
    private static final Duration SLACK = Duration.ofMinutes(2);

    private LoadGeneratorRun() {
    }

    /** Open-loop GETs of {@code url} at {@code rate} requests a second. */
    static LoadResult get(BenchContext context, String name, String url, int rate, Duration warmup, Duration timed) {
        return run(context, name, warmup.plus(timed), List.of(LoadGenerator.GET, url,
            LoadGenerator.RATE, Integer.toString(rate),
            LoadGenerator.SENDERS, Integer.toString(GET_SENDERS),
            LoadGenerator.WARMUP_SECONDS, Long.toString(warmup.toSeconds()),
            LoadGenerator.SECONDS, Long.toString(timed.toSeconds())));
    }

    /** Closed-loop POSTs of {@code eventsPerRequest} events each by {@code senders} senders; ids carry the tag. */
    static LoadResult post(BenchContext context, String name, String url, int senders, int eventsPerRequest,
                           Duration warmup, Duration timed) {
        return run(context, name, warmup.plus(timed), List.of(LoadGenerator.POST, url,
            LoadGenerator.SENDERS, Integer.toString(senders),
            LoadGenerator.EVENTS_PER_REQUEST, Integer.toString(eventsPerRequest),
            LoadGenerator.WARMUP_SECONDS, Long.toString(warmup.toSeconds()),
            LoadGenerator.SECONDS, Long.toString(timed.toSeconds()),
            LoadGenerator.RUN_TAG, name));
    }

    /**
     * Starts posting the realistic mix of {@code events} events (generated from {@code seed}) once, and returns at
     * once: the caller watches the service meanwhile and then takes the {@link #result}.
     */
    static ChildJvm startPostMix(BenchContext context, String name, String url, int events, long seed, int senders,
                                 int eventsPerRequest, Duration timeout) {
        // The mix and its bodies are held whole: 2 GB leaves room for an --events far above the default.
        return start(context, name, "2g", List.of(LoadGenerator.POST_MIX, url,
            LoadGenerator.EVENTS, Integer.toString(events),
            LoadGenerator.SEED, Long.toString(seed),
            LoadGenerator.SENDERS, Integer.toString(senders),
            LoadGenerator.EVENTS_PER_REQUEST, Integer.toString(eventsPerRequest),
            LoadGenerator.WARMUP_SECONDS, "0",
            LoadGenerator.SECONDS, Long.toString(timeout.toSeconds())));
    }

    /**
     * Waits for the generator to exit (its load's duration and some slack at most) and reads its result; fails on a
     * non-zero exit or without a result line.
     */
    static LoadResult result(ChildJvm child, Duration load) {
        int exit = child.awaitExit(load.plus(SLACK));
        if (exit != 0) {
            throw new IllegalStateException(child + " exited with " + exit + ". " + child.tail());
        }
        return LoadResult.fromOutput(child.output()).orElseThrow(() -> new IllegalStateException(child
            + " printed no result line. " + child.tail()));
    }

    private static LoadResult run(BenchContext context, String name, Duration load, List<String> args) {
        try (ChildJvm child = start(context, name, "512m", args)) {
            return result(child, load);
        }
    }

    private static ChildJvm start(BenchContext context, String name, String heap, List<String> args) {
        return ChildJvm.of("load-" + name, LoadGenerator.class.getName()).heap(heap)
            .args(args.toArray(String[]::new)).start(context.workDir().resolve("logs"));
    }
}
