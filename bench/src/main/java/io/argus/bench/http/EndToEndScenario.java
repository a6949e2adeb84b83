package io.argus.bench.http;

import io.argus.bench.ArgusServiceProcess;
import io.argus.bench.BenchContext;
import io.argus.bench.ChildJvm;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import io.argus.bench.fold.EventMix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item 9, end to end as a new user sees Argus: N/5 events of the realistic mix (200,000 for the default N) posted as
 * NDJSON through {@code POST /api/events} to a fresh service ({@code argus serve}, started and ready), by a load
 * generator in its own JVM ({@link MixRequests}: a few senders, each with whole batches, closed loop), timed from
 * the first request until every batch's view is final ({@link FinalViews}). The start is the generator's clock, the
 * end the bench's: two JVMs on one machine, one wall clock.
 */
public final class EndToEndScenario implements Scenario {

    static final String SECTION = "9. End to end (NDJSON through POST /api/events until every view is final)";
    /** N / 5: 200,000 events for the default N of 1,000,000. */
    private static final int SCALE_DOWN = 5;
    private static final int SENDERS = 4;
    private static final long SEED = 20261202L;

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        int events = context.events() / SCALE_DOWN;
        FinalViews views = FinalViews.of(EventMix.realistic(events, EventMix.DEFAULT_JOBS_PER_BATCH, SEED).events());
        Duration timeout = Duration.ofSeconds(120 + events / 1_000);
        List<Double> rates = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> posting = new ArrayList<>();
        for (int run = 1; run <= context.runs(); run++) {
            String id = "bench-e2e-" + run;
            context.progress("e2e: run %d/%d, starting a fresh service", run, context.runs());
            try (ArgusServiceProcess service = ArgusServiceProcess.start(context, id, id + ".", 3, Map.of())
                     .awaitReady(Duration.ofSeconds(120));
                 ChildJvm load = LoadGeneratorRun.startPostMix(context, id, service.baseUrl() + "/api/events",
                     events, SEED, SENDERS, JobBatch.EVENTS_PER_REQUEST, timeout)) {
                long finalMillis = views.awaitShown(service.http(), timeout, () -> {
                    if (!load.isAlive()) {
                        requireAllPosted(LoadGeneratorRun.result(load, timeout), events);
                    }
                });
                LoadResult posted = requireAllPosted(LoadGeneratorRun.result(load, timeout), events);
                double wall = (finalMillis - posted.startedEpochMillis()) / 1000.0;
                context.progress("e2e: run %d/%d, %,d events in %,d batches final after %.1f s: %,.0f events/s"
                        + " (posting alone %,.0f events/s, request p50 %.1f ms, p99 %.1f ms)", run, context.runs(),
                    events, views.batches(), wall, events / wall, posted.eventsPerSecond(), posted.p50Ms(),
                    posted.p99Ms());
                rates.add(events / wall);
                seconds.add(wall);
                posting.add(posted.eventsPerSecond());
            }
        }
        String how = String.format(Locale.ROOT, "a fresh service per run; NDJSON of up to %,d events a request, %d"
            + " senders with whole batches each; from the first request until every batch's GET /api/batches/{id}"
            + " shows its final jobs done and status", JobBatch.EVENTS_PER_REQUEST, SENDERS);
        return List.of(
            Figure.of(SECTION, String.format(Locale.ROOT, "end to end, %,d events of the realistic mix", events),
                "events/s", rates, how + "; target 30,000 events/s or more"),
            Figure.of(SECTION, "the same, time until every view is final", "s", seconds, how),
            Figure.of(SECTION, "posting alone", "events/s", posting,
                "from the first request until the last was answered (Kafka acknowledged all its events)"));
    }

    /** The load's result, once it posted every event; a run with refused or lost requests measures nothing. */
    private static LoadResult requireAllPosted(LoadResult posted, int events) {
        if (posted.errors() > 0 || posted.events() != events) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the end-to-end load posted %,d of %,d events"
                + " with %,d failed requests (first: %s)", posted.events(), events, posted.errors(),
                posted.firstError()));
        }
        return posted;
    }
}
