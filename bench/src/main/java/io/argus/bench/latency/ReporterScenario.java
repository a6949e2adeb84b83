package io.argus.bench.latency;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Item 7: the Reporter SDK's done() latency and its rate of asynchronous events, one fresh Reporter per run. */
public final class ReporterScenario implements Scenario {

    static final String SECTION = "7. Producer: the Reporter SDK";

    private static final int WARM_UP_JOBS = 200;
    private static final int JOBS = 2_000;
    private static final int EVENTS = 200_000;

    @Override
    public String name() {
        return "reporter";
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        List<ReporterRun.Result> results = new ArrayList<>();
        for (int run = 1; run <= context.runs(); run++) {
            results.add(new ReporterRun(context, run).measure(WARM_UP_JOBS, JOBS, EVENTS));
        }
        String doneHow = String.format(Locale.ROOT, "one job at a time, %,d jobs per run after %d warm-up;"
            + " acks=all, idempotent, linger.ms=0", JOBS, WARM_UP_JOBS);
        String progressHow = String.format(Locale.ROOT, "%,d job.progress calls per run", EVENTS);
        return List.of(
            Figure.of(SECTION, "Reporter done() latency p50", "ms", values(results, r -> r.done().p50Millis()),
                doneHow),
            Figure.of(SECTION, "Reporter done() latency p99", "ms", values(results, r -> r.done().p99Millis()),
                "max per run " + joined(values(results, r -> r.done().maxMillis())) + " ms"),
            Figure.of(SECTION, "Reporter progress() handed over", "events/s",
                values(results, r -> r.progress().handedOverPerSecond()),
                progressHow + "; per call " + joined(values(results, r -> r.progress().microsPerCall())) + " us"),
            Figure.of(SECTION, "Reporter progress() acknowledged", "events/s",
                values(results, r -> r.progress().acknowledgedPerSecond()),
                progressHow + ", from the first call until reporter.flush() saw every ack"));
    }

    private static List<Double> values(List<ReporterRun.Result> results,
                                       ToDoubleFunction<ReporterRun.Result> value) {
        return results.stream().map(value::applyAsDouble).toList();
    }

    private static String joined(List<Double> values) {
        return values.stream().map(value -> String.format(Locale.ROOT, "%.2f", value))
            .collect(Collectors.joining(", "));
    }
}
