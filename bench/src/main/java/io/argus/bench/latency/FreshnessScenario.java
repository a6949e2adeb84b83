package io.argus.bench.latency;

import io.argus.bench.ArgusServiceProcess;
import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Percentiles;
import io.argus.bench.Scenario;
import io.argus.bench.fold.EventMix;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Item 3: how long after the producer's acknowledgement a change is visible through the HTTP API, on the real
 * service ({@code argus serve}, default settings), idle and while other launchers produce 5,000 events/s.
 */
public final class FreshnessScenario implements Scenario {

    static final String SECTION = "3. Freshness (producer ack to visible over HTTP)";
    private static final String APPLICATION_ID = "bench-fresh";
    private static final String TOPICS_PREFIX = "bench-fresh.";
    private static final String EVENTS_TOPIC = TOPICS_PREFIX + ArgusTopics.EVENTS;
    private static final int PARTITIONS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int SAMPLES_PER_SECOND = 20;
    private static final int WARM_UP_SAMPLES = 300;
    private static final int LOAD_PER_SECOND = 5_000;
    /** Ten seconds of load, replayed under new ids as long as a run lasts. */
    private static final int LOAD_MIX_EVENTS = LOAD_PER_SECOND * 10;

    private static final int SAMPLES_PER_RUN = 200;

    @Override
    public String name() {
        return "freshness";
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        context.progress("freshness: starting the service (%s, %d partitions)", APPLICATION_ID, PARTITIONS);
        List<ArgusEvent> mix = EventMix.realistic(LOAD_MIX_EVENTS, EventMix.DEFAULT_JOBS_PER_BATCH, 3).events();
        try (ArgusServiceProcess service = ArgusServiceProcess.start(context, APPLICATION_ID, TOPICS_PREFIX,
            PARTITIONS, Map.of())) {
            service.awaitReady(READY_TIMEOUT);
            try (FreshnessProbe probe = new FreshnessProbe(EventProducers.open(context, "bench-fresh-probe", 0),
                EVENTS_TOPIC, new JobViews(service.http()))) {
                // Untimed: a fresh JVM compiles for its first seconds under load, which a service does once.
                context.progress("freshness: warm-up, %d samples under load", WARM_UP_SAMPLES);
                try (BackgroundLoad warmUp = BackgroundLoad.start(context, EVENTS_TOPIC, mix, "fresh-warm-up",
                    LOAD_PER_SECOND)) {
                    probe.measure("fresh-warm-up", WARM_UP_SAMPLES, SAMPLES_PER_SECOND);
                }
                Variant idle = new Variant("idle");
                Variant loaded = new Variant(String.format(Locale.ROOT, "under %,d events/s", LOAD_PER_SECOND));
                List<Double> loadRates = new ArrayList<>();
                for (int run = 1; run <= context.runs(); run++) {
                    context.progress("freshness run %d/%d: idle, %d samples at %d/s", run, context.runs(),
                        SAMPLES_PER_RUN, SAMPLES_PER_SECOND);
                    idle.add(context, probe.measure("fresh-idle-" + run, SAMPLES_PER_RUN, SAMPLES_PER_SECOND));

                    context.progress("freshness run %d/%d: under load, %d samples", run, context.runs(),
                        SAMPLES_PER_RUN);
                    BackgroundLoad load = BackgroundLoad.start(context, EVENTS_TOPIC, mix, "fresh-load-" + run,
                        LOAD_PER_SECOND);
                    long[] samples;
                    try {
                        samples = probe.measure("fresh-loaded-" + run, SAMPLES_PER_RUN, SAMPLES_PER_SECOND);
                    } catch (IllegalStateException e) {
                        // Most likely the fold fell behind the load: say so, rather than only which job was late.
                        throw new IllegalStateException(String.format(Locale.ROOT, "freshness under %,d events/s"
                            + " of background load, run %d: %s", LOAD_PER_SECOND, run, e.getMessage()), e);
                    } finally {
                        load.close();
                    }
                    loadRates.add(load.achievedPerSecond());
                    context.progress("freshness: background load ran at %,.0f events/s", load.achievedPerSecond());
                    loaded.add(context, samples);
                }
                String how = String.format(Locale.ROOT, "%d samples per run at %d/s; job_done acked (acks=all),"
                    + " then GET .../jobs/{job_id} every %d ms until done", SAMPLES_PER_RUN, SAMPLES_PER_SECOND,
                    FreshnessProbe.POLL_MILLIS);
                List<Figure> figures = new ArrayList<>(idle.figures(how));
                figures.addAll(loaded.figures(how + "; background: the fold bench's event mix, produced at "
                    + joined(loadRates, "%,.0f") + " events/s"));
                return figures;
            }
        }
    }

    /** The per-run percentiles of one condition. */
    private static final class Variant {
        private final String label;
        private final List<Double> p50 = new ArrayList<>();
        private final List<Double> p99 = new ArrayList<>();
        private final List<Double> max = new ArrayList<>();

        Variant(String label) {
            this.label = label;
        }

        void add(BenchContext context, long[] freshnessNanos) {
            Percentiles latencies = Percentiles.of(freshnessNanos);
            p50.add(latencies.p50Millis());
            p99.add(latencies.p99Millis());
            max.add(latencies.maxMillis());
            context.progress("freshness %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms", label, latencies.p50Millis(),
                latencies.p99Millis(), latencies.maxMillis());
        }

        List<Figure> figures(String how) {
            return List.of(
                Figure.of(SECTION, "Freshness p50, " + label, "ms", p50, how),
                Figure.of(SECTION, "Freshness p99, " + label, "ms", p99, "target: under 500 ms; max per run "
                    + joined(max, "%.1f") + " ms"));
        }
    }

    private static String joined(List<Double> values, String format) {
        return values.stream().map(value -> String.format(Locale.ROOT, format, value))
            .collect(Collectors.joining(", "));
    }
}
