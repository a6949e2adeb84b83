package io.argus.bench.http;

import io.argus.bench.BenchContext;
import io.argus.bench.ChildJvm;
import java.time.Duration;
import java.util.List;

/** Runs {@link LoadGenerator} once in a fresh child JVM and reads back its result line. */
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

    private static LoadResult run(BenchContext context, String name, Duration load, List<String> args) {
        try (ChildJvm child = ChildJvm.of("load-" + name, LoadGenerator.class.getName()).heap("512m")
            .args(args.toArray(String[]::new)).start(context.workDir().resolve("logs"))) {
            int exit = child.awaitExit(load.plus(SLACK));
            if (exit != 0) {
                throw new IllegalStateException(child + " exited with " + exit + ". " + child.tail());
            }
            return LoadResult.fromOutput(child.output()).orElseThrow(() -> new IllegalStateException(child
                + " printed no result line. " + child.tail()));
        }
    }
}
