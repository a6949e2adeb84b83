package io.argus.bench.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The load-generator results of one row of a table (one endpoint and rate, or one ingest variant), run by run. */
final class RowResults {

    private final List<LoadResult> runs = new ArrayList<>();

    void add(LoadResult result) {
        runs.add(result);
    }

    /** One value per run, in run order, for a {@link io.argus.bench.Figure}. */
    List<Double> values(ToDoubleFunction<LoadResult> quantity) {
        return runs.stream().map(run -> quantity.applyAsDouble(run)).toList();
    }

    /** How it was measured, and the errors over all runs if there were any: a figure over failures says so. */
    String note(String how) {
        long errors = runs.stream().mapToLong(LoadResult::errors).sum();
        if (errors == 0) {
            return how;
        }
        long requests = runs.stream().mapToLong(LoadResult::requests).sum();
        String first = runs.stream().map(LoadResult::firstError).filter(error -> error != null).findFirst()
            .orElse("");
        return String.format(Locale.ROOT, "%s; %,d errors in %,d requests (first: %s)", how, errors, requests, first);
    }

    /** For the progress line of one run. */
    static String describe(LoadResult run) {
        String ingested = run.events() == 0 ? ""
            : String.format(Locale.ROOT, ", %,.0f events/s", run.eventsPerSecond());
        return String.format(Locale.ROOT, "%,d requests (%,.0f/s%s), p50 %.2f ms, p99 %.2f ms, max %.1f ms, "
            + "%d errors", run.requests(), run.requestsPerSecond(), ingested, run.p50Ms(), run.p99Ms(), run.maxMs(),
            run.errors());
    }
}
