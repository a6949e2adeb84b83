package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item 2 on the real service: the fold's per-event cost for batches of 100, 10,000 and 100,000 jobs, each over
 * its own topic of the same number of events (enough for one whole batch of the largest size). An event reads and
 * writes one batch record and one job record whatever the batch's size, so the cost should stay flat; what grows
 * is the stores, and with them RocksDB's work. Timed over the second half of each log, past the JIT's warm-up.
 */
public final class GrowthScenario implements Scenario {

    static final String SECTION = "2. Growth: per-event fold cost by batch size (the service)";
    static final List<Integer> SIZES = List.of(100, 10_000, 100_000);
    /** One whole batch of 100,000 jobs is about 460,000 events; a million is two such batches. */
    static final int EVENTS = 1_000_000;
    private static final long SEED = 20261202L;

    @Override
    public String name() {
        return "growth";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        int events = Math.min(EVENTS, context.events());
        List<String> prefixes = new ArrayList<>();
        for (int jobs : SIZES) {
            EventMix mix = EventMix.realistic(events, jobs, SEED);
            context.progress("growth: %s", mix.describe());
            EventLog.Filled filled = EventLog.fill(context.stack().kafka(), context.stack().registryUrl(),
                prefix(jobs), MainEventLog.PARTITIONS, mix.events());
            context.progress("growth: filled %s", filled);
            prefixes.add(prefix(jobs));
        }
        List<List<Double>> micros = new ArrayList<>();
        List<List<Double>> rss = new ArrayList<>();
        SIZES.forEach(size -> {
            micros.add(new ArrayList<>());
            rss.add(new ArrayList<>());
        });
        try (FoldRuns runs = new FoldRuns(context)) {
            for (int run = 1; run <= context.runs(); run++) {
                for (int i = 0; i < SIZES.size(); i++) {
                    FoldRuns.ArgusRun folded = runs.argus("growth-" + SIZES.get(i), prefixes.get(i),
                        MainEventLog.PARTITIONS, Map.of());
                    GroupProgress.Timed timed = folded.timed();
                    double perEvent = 1e6 / timed.secondHalfEventsPerSecond();
                    micros.get(i).add(perEvent);
                    rss.get(i).add(folded.peakRssMiB());
                    context.progress("growth: run %d/%d, batches of %,d jobs: %.1f us/event (%,.0f events/s over the"
                        + " second half)", run, context.runs(), SIZES.get(i), perEvent,
                        timed.secondHalfEventsPerSecond());
                }
            }
        }
        List<Figure> figures = new ArrayList<>();
        String how = String.format(Locale.ROOT, "%,d events per size; 1 / the second half's rate", events);
        for (int i = 0; i < SIZES.size(); i++) {
            figures.add(Figure.of(SECTION, String.format(Locale.ROOT, "batches of %,d jobs", SIZES.get(i)),
                "us/event", micros.get(i), how));
        }
        for (int i = 0; i < SIZES.size(); i++) {
            figures.add(Figure.of(SECTION, String.format(Locale.ROOT, "service peak RSS, batches of %,d jobs",
                SIZES.get(i)), "MiB", rss.get(i), String.format(Locale.ROOT, "VmHWM after folding %,d events; "
                + "-Xmx2g unless --jvm sets the heap", events)));
        }
        for (int i = 1; i < SIZES.size(); i++) {
            List<Double> ratio = new ArrayList<>();
            for (int run = 0; run < context.runs(); run++) {
                ratio.add(micros.get(i).get(run) / micros.get(0).get(run));
            }
            figures.add(Figure.of(SECTION, String.format(Locale.ROOT, "%,d jobs / 100 jobs", SIZES.get(i)),
                "ratio", ratio, "per run; should stay near 1"));
        }
        return figures;
    }

    private static String prefix(int jobs) {
        return "bench-growth-" + jobs + ".";
    }
}
