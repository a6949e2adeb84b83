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

/**
 * Item 5: ingest through {@code POST /api/events} into the real service, from a separate load-generator process
 * over loopback, closed loop: single events and NDJSON batches, events per second and request latency. A POST
 * is answered 200 once Kafka acknowledged its events (acks=all), so that is what the latency includes.
 */
public final class IngestScenario implements Scenario {

    private static final String SECTION = "5. Ingest through POST /api/events";
    /** The fold, in the same service, folds what a run posted; the next run starts once it caught up. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    /** One way of posting: so many senders, so many events a request (1: one JSON event, more: NDJSON). */
    record Variant(String label, String slug, int senders, int eventsPerRequest) {

        static Variant of(int senders, int eventsPerRequest) {
            String what = eventsPerRequest == 1 ? "single events"
                : String.format(Locale.ROOT, "NDJSON of %,d events", eventsPerRequest);
            return new Variant(what + " (" + senders + (senders == 1 ? " sender)" : " senders)"),
                eventsPerRequest == 1 ? "single-" + senders : "ndjson-" + eventsPerRequest, senders, eventsPerRequest);
        }
    }

    /** One keep-alive client posting one event at a time is how a launcher without batching reports. */
    static final List<Variant> VARIANTS = List.of(Variant.of(1, 1), Variant.of(4, 1), Variant.of(2, 100),
        Variant.of(2, 1000));

    private static final Duration SERVICE_WARM_UP = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration TIMED = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        context.progress("ingest: starting the service");
        try (ArgusServiceProcess service = ArgusServiceProcess.start(context, "bench-ingest", "bench-ingest.", 3,
            Map.of()).awaitReady(Duration.ofSeconds(120))) {
            warmUp(context, service);
            List<Figure> figures = new ArrayList<>();
            for (Variant variant : VARIANTS) {
                figures.addAll(measure(context, service, variant));
            }
            return figures;
        }
    }

    /**
     * Untimed: the request path, the producer, the broker and the fold compile during the first tens of thousands
     * of events, which a running service did long ago. Without this the first row measured the JIT: one sender
     * got p50 2.6 ms in a fresh service and 0.5-0.8 ms in the same service after 30 s of traffic.
     */
    private void warmUp(BenchContext context, ArgusServiceProcess service) {
        context.progress("ingest: warming the service up, single events from 4 senders for %d s",
            SERVICE_WARM_UP.toSeconds());
        LoadGeneratorRun.post(context, "ingest-warm-up", service.baseUrl() + "/api/events", 4, 1,
            Duration.ofSeconds(1), SERVICE_WARM_UP);
    }

    private List<Figure> measure(BenchContext context, ArgusServiceProcess service, Variant variant) {
        RowResults results = new RowResults();
        for (int run = 1; run <= context.runs(); run++) {
            context.progress("ingest: waiting for the fold to catch up");
            service.awaitReady(CATCH_UP_TIMEOUT);
            context.progress("ingest: %s, run %d of %d (%d s warm-up, %d s timed)", variant.label(), run,
                context.runs(), WARM_UP.toSeconds(), TIMED.toSeconds());
            LoadResult result = LoadGeneratorRun.post(context, "ingest-" + variant.slug() + "-run" + run,
                service.baseUrl() + "/api/events", variant.senders(), variant.eventsPerRequest(), WARM_UP, TIMED);
            context.progress("ingest: %s, run %d: %s", variant.label(), run, RowResults.describe(result));
            results.add(result);
        }
        String how = String.format(Locale.ROOT, "closed loop, %d s per run after %d s warm-up, in a service warmed "
            + "up for %d s; the fold runs beside ingest", TIMED.toSeconds(), WARM_UP.toSeconds(),
            SERVICE_WARM_UP.toSeconds());
        return List.of(
            Figure.of(SECTION, variant.label() + " events/s", "events/s", results.values(LoadResult::eventsPerSecond),
                results.note(how)),
            Figure.of(SECTION, variant.label() + " request p50", "ms", results.values(LoadResult::p50Ms),
                results.note(how)),
            Figure.of(SECTION, variant.label() + " request p99", "ms", results.values(LoadResult::p99Ms),
                results.note(how)));
    }
}
