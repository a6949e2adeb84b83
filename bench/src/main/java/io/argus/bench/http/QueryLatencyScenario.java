package io.argus.bench.http;

import io.argus.bench.ArgusServiceProcess;
import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Item 4: latency of the batch view and of the jobs list of a 10,000-job batch under load, at fixed request
 * rates, from a separate load-generator process over loopback against the real service ({@code argus serve}).
 * Open loop, a fresh generator JVM per run; the figures are p50 and p99 per row.
 */
public final class QueryLatencyScenario implements Scenario {

    private static final String SECTION = "4. Query latency (separate load-generator process)";
    private static final int JOBS = 10_000;
    private static final String BATCH = "bench-query-10k";
    private static final Duration FOLD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SERVICE_WARM_UP = Duration.ofSeconds(15);

    /**
     * One row of the table: an endpoint at a rate.
     *
     * @param slug        for the generator's log name
     * @param p99TargetMs the target, said in the p99 figure's note
     */
    record Row(String endpoint, String slug, String path, int rate, OptionalInt p99TargetMs) {

        static Row batchView(int rate) {
            return new Row("batch view", "view", "/api/batches/" + BATCH, rate, OptionalInt.empty());
        }

        static Row jobsList(int rate) {
            return new Row(String.format(Locale.ROOT, "jobs list (%,d jobs)", JOBS), "jobs",
                "/api/batches/" + BATCH + "/jobs", rate, OptionalInt.empty());
        }

        Row withP99Target(int ms) {
            return new Row(endpoint, slug, path, rate, OptionalInt.of(ms));
        }
    }

    static final List<Row> ROWS = List.of(Row.batchView(500), Row.batchView(1000),
        Row.batchView(2000).withP99Target(5), Row.jobsList(5), Row.jobsList(20));

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration TIMED = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "query";
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        context.progress("query: starting the service");
        try (ArgusServiceProcess service = ArgusServiceProcess.start(context, "bench-query", "bench-query.", 3,
            Map.of()).awaitReady(Duration.ofSeconds(120))) {
            List<Figure> figures = new ArrayList<>();
            figures.add(fill(context, service));
            warmUp(context, service);
            for (Row row : ROWS) {
                figures.addAll(measure(context, service, row));
            }
            return figures;
        }
    }

    /** Puts the batch in through ingest and times it until the view shows every job done. */
    private Figure fill(BenchContext context, ArgusServiceProcess service) {
        JobBatch batch = new JobBatch(service.http(), BATCH, JOBS);
        context.progress("query: posting a batch of %,d jobs (%,d events)", JOBS, batch.events());
        long started = System.nanoTime();
        batch.post();
        context.progress("query: posted; waiting for the fold");
        batch.awaitFolded(FOLD_TIMEOUT);
        double seconds = (System.nanoTime() - started) / 1e9;
        context.progress("query: folded in %.1f s", seconds);
        return Figure.of(SECTION, String.format(Locale.ROOT, "posting and folding a %,d-job batch (%,d events)",
            JOBS, batch.events()), "s", List.of(seconds), String.format(Locale.ROOT, "NDJSON of %,d events a request;"
            + " from the first POST until the view shows every job done", JobBatch.EVENTS_PER_REQUEST));
    }

    /**
     * Untimed: the service's request path compiles during its first seconds of traffic, which a running service
     * did long ago; without this the first row measured the JIT (p99 13 ms at 500 req/s, 4.7 ms at 2,000 after).
     */
    private void warmUp(BenchContext context, ArgusServiceProcess service) {
        for (Row row : List.of(Row.batchView(1000), Row.jobsList(5))) {
            context.progress("query: warming the service up, %s at %,d req/s for %d s", row.endpoint(), row.rate(),
                SERVICE_WARM_UP.toSeconds());
            LoadGeneratorRun.get(context, "query-warm-up-" + row.slug(), service.baseUrl() + row.path(), row.rate(),
                Duration.ofSeconds(1), SERVICE_WARM_UP);
        }
    }

    private List<Figure> measure(BenchContext context, ArgusServiceProcess service, Row row) {
        String label = String.format(Locale.ROOT, "%s at %,d req/s", row.endpoint(), row.rate());
        RowResults results = new RowResults();
        for (int run = 1; run <= context.runs(); run++) {
            context.progress("query: %s, run %d of %d (%d s warm-up, %d s timed)", label, run, context.runs(),
                WARM_UP.toSeconds(), TIMED.toSeconds());
            LoadResult result = LoadGeneratorRun.get(context, String.format(Locale.ROOT, "query-%s-%d-run%d",
                row.slug(), row.rate(), run), service.baseUrl() + row.path(), row.rate(), WARM_UP, TIMED);
            context.progress("query: %s, run %d: %s", label, run, RowResults.describe(result));
            results.add(result);
        }
        String how = String.format(Locale.ROOT, "open loop, %d s per run after %d s warm-up", TIMED.toSeconds(),
            WARM_UP.toSeconds());
        String p99How = row.p99TargetMs().isPresent()
            ? how + "; target < " + row.p99TargetMs().getAsInt() + " ms" : how;
        return List.of(
            Figure.of(SECTION, label + " p50", "ms", results.values(LoadResult::p50Ms), results.note(how)),
            Figure.of(SECTION, label + " p99", "ms", results.values(LoadResult::p99Ms), results.note(p99How)));
    }
}
