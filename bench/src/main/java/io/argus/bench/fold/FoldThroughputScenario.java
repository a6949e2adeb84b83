package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Items 1 and 8: the Argus fold (exactly-once) beside a bare Kafka Streams count over the same N-event topic, in
 * the same run, alternating, and beside a second baseline that only does the two logged writes Argus makes durable
 * for every event ({@link JournalFloorApp}); and the service's peak memory and state size once it has folded the
 * whole topic.
 */
public final class FoldThroughputScenario implements Scenario {

    static final String SECTION = "1. Fold throughput (exactly_once_v2, 3 partitions)";
    static final String MEMORY = "8. Memory and state (the service, after folding the whole topic)";

    /** Series names, one value per run. */
    private static final String ARGUS = "argus";
    private static final String ARGUS_2 = "argus, second half";
    private static final String BARE = "bare";
    private static final String BARE_2 = "bare, second half";
    private static final String FLOOR = "floor";
    private static final String FLOOR_2 = "floor, second half";
    private static final String RATIO = "ratio";
    private static final String RATIO_2 = "ratio, second half";
    private static final String RSS = "rss";
    private static final String STATE = "state";
    private static final String CHANGELOG = "changelog records per event";

    @Override
    public String name() {
        return "fold";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        EventLog.Filled filled = context.mainLog().filled(context);
        Runs measured = new Runs();
        try (FoldRuns runs = new FoldRuns(context)) {
            for (int run = 1; run <= context.runs(); run++) {
                FoldRuns.ArgusRun a = runs.argus("fold", MainEventLog.PREFIX, MainEventLog.PARTITIONS, Map.of());
                context.progress("fold: run %d/%d Argus %,.0f events/s (%,d events in %.1f s, first commit %.1f s"
                        + " after start; second half %,.0f events/s), peak RSS %.0f MiB, state %.0f MiB", run,
                    context.runs(), a.timed().eventsPerSecond(), a.timed().events(), a.timed().seconds(),
                    a.timed().startupSeconds(), a.timed().secondHalfEventsPerSecond(), a.peakRssMiB(),
                    a.stateDirMiB());
                context.progress("fold: run %d/%d changelog records by store: %s", run, context.runs(),
                    a.changelogs());
                measured.add(ARGUS, a.timed().eventsPerSecond()).add(ARGUS_2, a.timed().secondHalfEventsPerSecond())
                    .add(RSS, a.peakRssMiB()).add(STATE, a.stateDirMiB())
                    .add(CHANGELOG, a.changelogRecordsPerEvent());
                if (!context.options().baselines()) {
                    continue;
                }
                GroupProgress.Timed b = runs.baseline(BareCountApp.class, "bare", filled.topic());
                GroupProgress.Timed f = runs.baseline(JournalFloorApp.class, "floor", filled.topic());
                context.progress("fold: run %d/%d bare count %,.0f events/s (second half %,.0f); two logged writes"
                        + " per event %,.0f events/s (second half %,.0f)", run, context.runs(), b.eventsPerSecond(),
                    b.secondHalfEventsPerSecond(), f.eventsPerSecond(), f.secondHalfEventsPerSecond());
                measured.add(BARE, b.eventsPerSecond()).add(BARE_2, b.secondHalfEventsPerSecond())
                    .add(FLOOR, f.eventsPerSecond()).add(FLOOR_2, f.secondHalfEventsPerSecond())
                    .add(RATIO, a.timed().eventsPerSecond() / b.eventsPerSecond())
                    .add(RATIO_2, a.timed().secondHalfEventsPerSecond() / b.secondHalfEventsPerSecond());
            }
        }
        String timing = "timed by committed offsets, from the first commit to the last";
        String secondHalf = "JIT warmed up: from the commit that passed N/2 to the last";
        List<Figure> figures = new ArrayList<>(List.of(
            Figure.of(SECTION, "Argus fold (the service, `argus serve`)", "events/s", measured.get(ARGUS), timing),
            Figure.of(SECTION, "Argus fold, second half of the log", "events/s", measured.get(ARGUS_2),
                secondHalf),
            Figure.of(SECTION, "Argus changelog records per event", "records", measured.get(CHANGELOG),
                "all stores' changelogs (end offsets, transaction markers included) / N")));
        if (context.options().baselines()) {
            figures.addAll(List.of(
                Figure.of(SECTION, "bare Kafka Streams count", "events/s", measured.get(BARE), timing),
                Figure.of(SECTION, "bare count, second half of the log", "events/s", measured.get(BARE_2),
                    secondHalf),
                Figure.of(SECTION, "Argus / bare", "ratio", measured.get(RATIO), "per run; target 0.70 or more"),
                Figure.of(SECTION, "Argus / bare, second half", "ratio", measured.get(RATIO_2), "per run"),
                Figure.of(SECTION, "Streams with only Argus's two logged writes per event", "events/s",
                    measured.get(FLOOR), "JournalFloorApp: an id lookup, a journal put and an id put, no decoding,"
                        + " no fold; " + timing),
                Figure.of(SECTION, "the same, second half of the log", "events/s", measured.get(FLOOR_2),
                    secondHalf)));
        }
        figures.add(Figure.of(MEMORY, "service peak RSS (VmHWM) after folding " + String.format("%,d",
            context.events()) + " events", "MiB", measured.get(RSS), "-Xmx2g"));
        figures.add(Figure.of(MEMORY, "state directory size", "MiB", measured.get(STATE),
            "RocksDB files of the stores, after the service stopped"));
        return figures;
    }

    /** The values of each series, one per run. */
    private static final class Runs {
        private final Map<String, List<Double>> series = new HashMap<>();

        Runs add(String name, double value) {
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        List<Double> get(String name) {
            return series.get(name);
        }
    }
}
