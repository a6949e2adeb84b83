package io.argus.streams.app;

import io.argus.streams.fold.Effect;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Folds the whole event log under a fresh application id and stops once it has caught up with the log's end as it
 * was when the rebuild began, printing progress on the way: events folded, events per second, remaining lag.
 */
final class Rebuild {

    private final ArgusConfig config;
    private final PrintStream out;
    private final Duration progressEvery;

    Rebuild(ArgusConfig config, PrintStream out, Duration progressEvery) {
        this.config = config;
        this.out = out;
        this.progressEvery = progressEvery;
    }

    /** Runs to the end; returns the number of records the fold saw (events and dead letters). */
    long run(Duration timeout) throws InterruptedException, ExecutionException {
        String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        long started = System.nanoTime();
        try (Admin admin = Admin.create(ArgusStreams.adminProperties(config));
             ArgusStreams app = ArgusStreams.start(config)) {
            Map<TopicPartition, Long> target = LogOffsets.end(admin, app.topics().events().name());
            long total = target.values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "rebuilding %s from %s: %d records in %d partitions%n", applicationId,
                app.topics().events().name(), total, target.size());
            long deadline = started + timeout.toNanos();
            while (true) {
                long remaining = remainingLag(target, LogOffsets.committed(admin, applicationId));
                long folded = folded(app);
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf(Locale.ROOT, "folded %d records, %.0f records/s, remaining lag %d%n", folded,
                    folded / Math.max(seconds, 1e-3), remaining);
                if (remaining == 0) {
                    out.printf(Locale.ROOT, "caught up in %.1f s%n", seconds);
                    return folded;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rebuild did not catch up within " + timeout
                        + "; remaining lag " + remaining);
                }
                Thread.sleep(progressEvery.toMillis());
            }
        }
    }

    /** What is left between the committed offsets and the target; a partition not committed yet counts fully. */
    static long remainingLag(Map<TopicPartition, Long> target, Map<TopicPartition, Long> committed) {
        return target.entrySet().stream()
            .mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L)))
            .sum();
    }

    private static long folded(ArgusStreams app) {
        long events = Arrays.stream(Effect.values())
            .mapToLong(effect -> app.counters().events(effect)).sum();
        return events + app.counters().deadLetters();
    }
}
