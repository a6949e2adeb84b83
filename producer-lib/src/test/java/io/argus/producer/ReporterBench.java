package io.argus.producer;

import io.argus.embedded.SharedTestStack;
import io.argus.embedded.TestNames;
import io.argus.schemas.ArgusTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what a launcher pays: the latency of {@code done()} (acknowledged by Kafka, acks=all) and the rate of
 * background events, on the in-JVM broker and registry. A measurement, not a test: numbers vary by machine.
 * <pre>
 * mvn -B -q -o -pl producer-lib test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.argus.producer.ReporterBench \
 *   -Dargus.apicurio.home=$PWD/target/apicurio-2.6.13.Final [-Dbench.jobs=2000 -Dbench.events=200000]
 *   [-Dbench.linger.ms=5]
 * </pre>
 */
public final class ReporterBench {

    private ReporterBench() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = Integer.getInteger("bench.jobs", 2000);
        int events = Integer.getInteger("bench.events", 200_000);
        try (SharedTestStack stack = SharedTestStack.get()) {
            String prefix = TestNames.unique("bench") + ".";
            stack.kafka().createTopic(prefix + ArgusTopics.EVENTS, 3, Map.of());
            Path spool = Files.createTempDirectory("bench-spool");
            ReporterBuilder builder = Reporter.builder().sourceProject("bench").experimentType("bench")
                .nTotal(jobs).batchId(TestNames.unique("b-bench")).gitSha("none").environment(Map.of())
                .config(ReporterConfig.BOOTSTRAP_SERVERS, stack.kafka().bootstrapServers())
                .config(ReporterConfig.REGISTRY_URL, stack.registry().confluentApiUrl())
                .config(ReporterConfig.TOPICS_PREFIX, prefix)
                .config(ReporterConfig.SPOOL_DIR, spool.toString());
            if (System.getProperty("bench.linger.ms") != null) {
                builder.config("linger.ms", System.getProperty("bench.linger.ms"));
            }
            try (Reporter reporter = builder.open()) {
                warmUp(reporter);
                doneLatency(reporter, jobs);
                asyncRate(reporter, events);
            }
        }
    }

    private static void warmUp(Reporter reporter) {
        for (int i = 0; i < 200; i++) {
            try (JobScope job = reporter.job("warm-" + i, Map.of())) {
                job.done(Map.of("x", 1.0));
            }
        }
    }

    /** One job at a time, as a launcher runs them: job_start (async), then done() (waits for the ack). */
    private static void doneLatency(Reporter reporter, int jobs) {
        long[] nanos = new long[jobs];
        for (int i = 0; i < jobs; i++) {
            try (JobScope job = reporter.job("job-" + i, Map.of("i", Integer.toString(i)))) {
                long started = System.nanoTime();
                job.done(Map.of("mae", 0.1, "rmse", 0.2), "{\"mae\":0.1}");
                nanos[i] = System.nanoTime() - started;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "done() latency over %d jobs (acks=all, idempotent): p50 %.2f ms, p99 %.2f ms,"
                + " max %.2f ms%n", jobs, millis(nanos[jobs / 2]), millis(nanos[(int) (jobs * 0.99)]),
            millis(nanos[jobs - 1]));
    }

    /** Progress events as fast as the caller can publish them, then until Kafka acknowledged all of them. */
    private static void asyncRate(Reporter reporter, int events) {
        try (JobScope job = reporter.job("async", Map.of())) {
            Map<String, Double> metrics = Map.of("loss", 0.5, "lr", 0.001);
            long started = System.nanoTime();
            for (int step = 0; step < events; step++) {
                job.progress(step, metrics);
            }
            long handedOver = System.nanoTime() - started;
            if (!reporter.flush(Duration.ofMinutes(2))) {
                throw new IllegalStateException("not acknowledged within 2 minutes");
            }
            long acknowledged = System.nanoTime() - started;
            job.done(Map.of());
            System.out.printf(Locale.ROOT, "async events: %d handed over at %.0f/s (%.2f us per call), all"
                    + " acknowledged at %.0f/s%n", events, events / (handedOver / 1e9), handedOver / 1e3 / events,
                events / (acknowledged / 1e9));
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
