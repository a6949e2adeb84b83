package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Items 1 and 8: the Argus fold (exactly-once) beside a bare Kafka Streams count over the same N-event topic, in
 * the same run, alternating; and the service's peak memory and state size when it has folded the whole topic.
 */
public final class FoldThroughputScenario implements Scenario {

    static final String SECTION = "1. Fold throughput (exactly_once_v2, 3 partitions)";
    static final String MEMORY = "8. Memory and state (the service, after folding the whole topic)";

    @Override
    public String name() {
        return "fold";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        EventLog.Filled filled = context.mainLog().filled(context);
        List<Double> argus = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> argusSecondHalf = new ArrayList<>();
        List<Double> bareSecondHalf = new ArrayList<>();
        List<Double> ratioSecondHalf = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> state = new ArrayList<>();
        try (FoldRuns runs = new FoldRuns(context)) {
            for (int run = 1; run <= context.runs(); run++) {
                FoldRuns.ArgusRun a = runs.argus("fold", MainEventLog.PREFIX, MainEventLog.PARTITIONS, Map.of());
                context.progress("fold: run %d/%d Argus %,.0f events/s (%,d events in %.1f s, first commit %.1f s"
                        + " after start; second half %,.0f events/s), peak RSS %.0f MiB, state %.0f MiB", run,
                    context.runs(), a.timed().eventsPerSecond(), a.timed().events(), a.timed().seconds(),
                    a.timed().startupSeconds(), a.timed().secondHalfEventsPerSecond(), a.peakRssMiB(),
                    a.stateDirMiB());
                GroupProgress.Timed b = runs.bareCount("bare", filled.topic());
                context.progress("fold: run %d/%d bare count %,.0f events/s (%,d events in %.1f s; second half"
                    + " %,.0f events/s)", run, context.runs(), b.eventsPerSecond(), b.events(), b.seconds(),
                    b.secondHalfEventsPerSecond());
                argus.add(a.timed().eventsPerSecond());
                bare.add(b.eventsPerSecond());
                ratio.add(a.timed().eventsPerSecond() / b.eventsPerSecond());
                argusSecondHalf.add(a.timed().secondHalfEventsPerSecond());
                bareSecondHalf.add(b.secondHalfEventsPerSecond());
                ratioSecondHalf.add(a.timed().secondHalfEventsPerSecond() / b.secondHalfEventsPerSecond());
                rss.add(a.peakRssMiB());
                state.add(a.stateDirMiB());
            }
        }
        String timing = "timed by committed offsets, from the first commit to the last";
        return List.of(
            Figure.of(SECTION, "Argus fold (the service, `argus serve`)", "events/s", argus, timing),
            Figure.of(SECTION, "bare Kafka Streams count", "events/s", bare, timing),
            Figure.of(SECTION, "Argus / bare", "ratio", ratio, "per run; target 0.70 or more"),
            Figure.of(SECTION, "Argus fold, second half of the log", "events/s", argusSecondHalf,
                "JIT warmed up: from the commit that passed N/2 to the last"),
            Figure.of(SECTION, "bare count, second half of the log", "events/s", bareSecondHalf, "the same"),
            Figure.of(SECTION, "Argus / bare, second half", "ratio", ratioSecondHalf, "per run"),
            Figure.of(MEMORY, "service peak RSS (VmHWM) after folding " + String.format("%,d", context.events())
                + " events", "MiB", rss, "-Xmx2g"),
            Figure.of(MEMORY, "state directory size", "MiB", state,
                "RocksDB files of the stores, after the service stopped"));
    }
}
