package io.argus.bench.latency;

import io.argus.bench.BenchContext;
import io.argus.bench.Percentiles;
import io.argus.producer.JobScope;
import io.argus.producer.Reporter;
import io.argus.producer.ReporterConfig;
import io.argus.schemas.ArgusTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a launcher pays, on one Reporter with its own events topic and spool: the latency of {@code done()}
 * (acknowledged by Kafka, acks=all) one job at a time, and the rate of background {@code progress} events.
 */
final class ReporterRun {

    private static final Duration FLUSH_DEADLINE = Duration.ofMinutes(2);

    record Result(Percentiles done, ProgressRate progress) {
    }

    /**
     * @param handedOverPerSecond   progress calls per second, as the caller saw them return
     * @param acknowledgedPerSecond progress events per second from the first call until Kafka acknowledged all
     */
    record ProgressRate(double handedOverPerSecond, double microsPerCall, double acknowledgedPerSecond) {
    }

    private final BenchContext context;
    private final int run;

    ReporterRun(BenchContext context, int run) {
        this.context = context;
        this.run = run;
    }

    Result measure(int warmUpJobs, int jobs, int events) throws IOException {
        String prefix = "bench-reporter-" + run + ".";
        context.stack().kafka().createTopic(prefix + ArgusTopics.EVENTS, 3, Map.of());
        Files.createDirectories(context.workDir());
        Path spool = Files.createTempDirectory(context.workDir(), "reporter-spool-");
        // No query URL: done() and progress() never ask the query service, so none runs.
        try (Reporter reporter = Reporter.builder().sourceProject("bench").experimentType("bench")
            .nTotal(warmUpJobs + jobs + 1).batchId("bench-reporter-" + run).gitSha("none").environment(Map.of())
            .config(ReporterConfig.BOOTSTRAP_SERVERS, context.stack().bootstrapServers())
            .config(ReporterConfig.REGISTRY_URL, context.stack().registryUrl())
            .config(ReporterConfig.TOPICS_PREFIX, prefix)
            .config(ReporterConfig.SPOOL_DIR, spool.toString())
            .open()) {
            context.progress("reporter run %d: warm-up, %d jobs", run, warmUpJobs);
            warmUp(reporter, warmUpJobs);
            context.progress("reporter run %d: done() latency over %d jobs", run, jobs);
            Percentiles done = Percentiles.of(doneLatencies(reporter, jobs));
            context.progress("reporter run %d: done() p50 %.2f ms, p99 %.2f ms, max %.2f ms; %,d progress events",
                run, done.p50Millis(), done.p99Millis(), done.maxMillis(), events);
            ProgressRate progress = progressRate(reporter, events);
            context.progress("reporter run %d: %,.0f progress calls/s handed over (%.2f us each), %,.0f/s"
                + " acknowledged", run, progress.handedOverPerSecond(), progress.microsPerCall(),
                progress.acknowledgedPerSecond());
            return new Result(done, progress);
        }
    }

    private static void warmUp(Reporter reporter, int jobs) {
        for (int i = 0; i < jobs; i++) {
            try (JobScope job = reporter.job("warm-" + i, Map.of())) {
                job.done(Map.of("x", 1.0));
            }
        }
    }

    /** One job at a time, as a launcher runs them: job_start (async), then done() (waits for the ack). */
    private static long[] doneLatencies(Reporter reporter, int jobs) {
        long[] nanos = new long[jobs];
        for (int i = 0; i < jobs; i++) {
            try (JobScope job = reporter.job("job-" + i, Map.of("i", Integer.toString(i)))) {
                long started = System.nanoTime();
                job.done(Map.of("mae", 0.1, "rmse", 0.2), "{\"mae\":0.1}");
                nanos[i] = System.nanoTime() - started;
            }
        }
        return nanos;
    }

    /** Progress events as fast as the caller can publish them, then until Kafka acknowledged all of them. */
    private static ProgressRate progressRate(Reporter reporter, int events) {
        try (JobScope job = reporter.job("async", Map.of())) {
            Map<String, Double> metrics = Map.of("loss", 0.5, "lr", 0.001);
            long started = System.nanoTime();
            for (int step = 0; step < events; step++) {
                job.progress(step, metrics);
            }
            long handedOver = System.nanoTime() - started;
            if (!reporter.flush(FLUSH_DEADLINE)) {
                throw new IllegalStateException(events + " progress events not acknowledged within "
                    + FLUSH_DEADLINE.toMinutes() + " minutes");
            }
            long acknowledged = System.nanoTime() - started;
            job.done(Map.of());
            return new ProgressRate(events * 1e9 / handedOver, handedOver / 1e3 / events, events * 1e9 / acknowledged);
        }
    }
}
