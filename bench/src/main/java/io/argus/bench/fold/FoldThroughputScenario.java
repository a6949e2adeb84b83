package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Items 1 and 8, for each event mix ({@code --mix}): the Argus fold (exactly-once) over the mix's N-event topic, and
 * beside it, in the same run, alternating, baseline Streams apps over the same topic: a bare count, the same count
 * after decoding each event with Argus's deserializer (the ceiling for any fold of Avro events); the records Argus
 * wrote to its changelogs per event; and the service's peak memory and state size once it has folded the whole topic.
 */
public final class FoldThroughputScenario implements Scenario {

    static final String SECTION = "1. Fold throughput (exactly_once_v2, 3 partitions)";
    static final String MEMORY = "8. Memory and state (the service, after folding the whole topic)";

    /**
     * A Streams app run beside Argus over the same topic, each in its own JVM.
     *
     * @param slug   its application id's and its series' name
     * @param target when present, Argus is also reported as a share of this baseline, with the target
     */
    private record Baseline(Class<?> app, String slug, String label, String what, Optional<String> target) {
    }

    private static final List<Baseline> BASELINES = List.of(
        new Baseline(BareCountApp.class, "bare", "bare Kafka Streams count",
            "BareCountApp: a count per key, the value never read", Optional.of("target 50% or more, aim for 70%")),
        new Baseline(DecodeCountApp.class, "decode", "decode + count",
            "DecodeCountApp: Argus's Avro deserializer and registry client on every event, then the same count",
            Optional.of("target 80% or more")));

    /** Series names, one value per run; a baseline's series are named after its slug. */
    private static final String ARGUS = "argus";
    private static final String SECOND_HALF = ", second half";
    private static final String SHARE = ", Argus's share";
    private static final String RSS = "rss";
    private static final String STATE = "state";
    private static final String CHANGELOG = "changelog records per event";
    /** The targets for the changelog records per event. */
    private static final Map<Mix, String> CHANGELOG_TARGETS = Map.of(Mix.REALISTIC, "0.3", Mix.SPREAD, "1.0");

    @Override
    public String name() {
        return "fold";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        List<Figure> figures = new ArrayList<>();
        try (FoldRuns runs = new FoldRuns(context)) {
            for (Mix mix : context.options().mixes()) {
                figures.addAll(measure(context, runs, mix));
            }
        }
        return figures;
    }

    /** Every run of Argus and the baselines over the mix's log, then the mix's rows. */
    private List<Figure> measure(BenchContext context, FoldRuns runs, Mix mix) {
        EventLog.Filled filled = context.mainLog().filled(context, mix);
        String tag = mix.label();
        Runs measured = new Runs();
        for (int run = 1; run <= context.runs(); run++) {
            FoldRuns.ArgusRun a = runs.argus("fold-" + tag, MainEventLog.prefix(mix), MainEventLog.PARTITIONS,
                Map.of());
            context.progress("fold: %s run %d/%d Argus %,.0f events/s (%,d events in %.1f s, first commit %.1f s"
                    + " after start; second half %,.0f events/s), peak RSS %.0f MiB, state %.0f MiB", tag, run,
                context.runs(), a.timed().eventsPerSecond(), a.timed().events(), a.timed().seconds(),
                a.timed().startupSeconds(), a.timed().secondHalfEventsPerSecond(), a.peakRssMiB(), a.stateDirMiB());
            context.progress("fold: %s run %d/%d changelog records by store: %s (%.2f per event)", tag, run,
                context.runs(), a.changelogs(), a.changelogRecordsPerEvent());
            measured.add(ARGUS, a.timed().eventsPerSecond())
                .add(ARGUS + SECOND_HALF, a.timed().secondHalfEventsPerSecond())
                .add(RSS, a.peakRssMiB()).add(STATE, a.stateDirMiB())
                .add(CHANGELOG, a.changelogRecordsPerEvent());
            if (!context.options().baselines()) {
                continue;
            }
            for (Baseline baseline : BASELINES) {
                GroupProgress.Timed b = runs.baseline(baseline.app(), baseline.slug() + "-" + tag, filled.topic());
                context.progress("fold: %s run %d/%d %s %,.0f events/s (second half %,.0f)", tag, run,
                    context.runs(), baseline.label(), b.eventsPerSecond(), b.secondHalfEventsPerSecond());
                measured.add(baseline.slug(), b.eventsPerSecond())
                    .add(baseline.slug() + SECOND_HALF, b.secondHalfEventsPerSecond())
                    .add(baseline.slug() + SHARE, 100 * a.timed().eventsPerSecond() / b.eventsPerSecond())
                    .add(baseline.slug() + SECOND_HALF + SHARE,
                        100 * a.timed().secondHalfEventsPerSecond() / b.secondHalfEventsPerSecond());
            }
        }
        String of = ", " + tag + " mix";
        String timing = "timed by committed offsets, from the first commit to the last";
        String secondHalf = "JIT warmed up: from the commit that passed N/2 to the last";
        List<Figure> figures = new ArrayList<>(List.of(
            Figure.of(SECTION, "Argus fold (the service, `argus serve`)" + of, "events/s", measured.get(ARGUS),
                timing),
            Figure.of(SECTION, "Argus fold, second half of the log" + of, "events/s",
                measured.get(ARGUS + SECOND_HALF), secondHalf),
            Figure.of(SECTION, "Argus changelog records per event" + of, "records", measured.get(CHANGELOG),
                "every `<application.id>-*-changelog` topic of the service (end offsets, transaction markers"
                    + " included) / N; target " + CHANGELOG_TARGETS.get(mix) + " or less")));
        if (context.options().baselines()) {
            for (Baseline baseline : BASELINES) {
                figures.add(Figure.of(SECTION, baseline.label() + of, "events/s", measured.get(baseline.slug()),
                    baseline.what() + "; " + timing));
                figures.add(Figure.of(SECTION, baseline.label() + ", second half of the log" + of, "events/s",
                    measured.get(baseline.slug() + SECOND_HALF), secondHalf));
            }
            for (Baseline baseline : BASELINES) {
                baseline.target().ifPresent(target -> figures.addAll(List.of(
                    Figure.of(SECTION, "Argus as a share of " + baseline.label() + of, "%",
                        measured.get(baseline.slug() + SHARE), "per run; " + target),
                    Figure.of(SECTION, "Argus as a share of " + baseline.label() + ", second half" + of, "%",
                        measured.get(baseline.slug() + SECOND_HALF + SHARE), "per run"))));
            }
        }
        figures.add(Figure.of(MEMORY, "service peak RSS (VmHWM) after folding " + String.format("%,d",
            context.events()) + " events" + of, "MiB", measured.get(RSS), "-Xmx2g"));
        figures.add(Figure.of(MEMORY, "state directory size" + of, "MiB", measured.get(STATE),
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
