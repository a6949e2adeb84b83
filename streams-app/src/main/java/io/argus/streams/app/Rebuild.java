package io.argus.streams.app;

import io.argus.schemas.ArgusTopics;
import io.argus.streams.fold.Effect;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Folds the whole event log under a fresh application id and stops once it has caught up with the log's end as it
 * was when the rebuild began, printing progress on the way: events folded, events per second, remaining lag.
 * Refuses an application id something runs under (it would join that group and take its partitions); an id with
 * committed offsets and nothing running, such as an interrupted rebuild's, continues from them.
 *
 * <p>Misplaced events (on a partition that does not own their batch) are not copied again when the log already holds
 * their re-routed copy ({@link ReroutedCopies}, read before the fold starts): the rebuild folds those copies where
 * they are, as the fold that wrote them did. The ones it does re-route are folded before it says it caught up.
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

    /** Runs to the end; returns the number of records the fold saw (events, dead letters, misplaced events). */
    long run(Duration timeout) throws InterruptedException, ExecutionException {
        String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        String events = events(config);
        try (Admin admin = Admin.create(ArgusStreams.adminProperties(config))) {
            Map<TopicPartition, Long> target = logEnd(admin, events);
            requireUnused(admin, applicationId);
            long total = target.values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "rebuilding %s from %s: %d records in %d partitions, state in %s%n",
                applicationId, events, total, target.size(),
                Path.of(config.get(StreamsConfig.STATE_DIR_CONFIG)).resolve(applicationId));
            long done = total - remainingLag(target, LogOffsets.committed(admin, applicationId));
            if (done > 0) {
                out.printf(Locale.ROOT, "continuing from the offsets %s committed: %d records folded before%n",
                    applicationId, done);
            }
            Map<Integer, Long> copiedBelow = ReroutedCopies.in(admin, config.streamsProperties(), events, timeout);
            if (!copiedBelow.isEmpty()) {
                out.printf(Locale.ROOT, "the log holds re-routed copies of misplaced events up to offsets %s "
                    + "(by partition): those are folded from their copies, not copied again%n", copiedBelow);
            }
            try (ArgusStreams app = ArgusStreams.start(config, copiedBelow)) {
                return foldUntilCaughtUp(admin, app, target, timeout);
            }
        }
    }

    private long foldUntilCaughtUp(Admin admin, ArgusStreams app, Map<TopicPartition, Long> logEnd,
                                   Duration timeout) throws InterruptedException, ExecutionException {
        String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Map<TopicPartition, Long> target = logEnd;
        boolean copiesIncluded = false;
        while (true) {
            long remaining = remainingLag(target, LogOffsets.committed(admin, applicationId));
            long folded = folded(app);
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "folded %d records, %.0f records/s, remaining lag %d%n", folded,
                folded / Math.max(seconds, 1e-3), remaining);
            if (remaining == 0 && !copiesIncluded && app.counters().reroutes() > 0) {
                // The copies it wrote are committed with the offsets it reached, so they end before today's log end.
                target = LogOffsets.end(admin, events(config));
                copiesIncluded = true;
                out.printf(Locale.ROOT, "re-routed %d misplaced events: folding their copies too%n",
                    app.counters().reroutes());
                continue;
            }
            if (remaining == 0) {
                out.printf(Locale.ROOT, "caught up in %.1f s%n", seconds);
                return folded;
            }
            if (app.streams().state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the fold stopped with an error (logged above); remaining lag "
                    + remaining);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("rebuild did not catch up within " + timeout
                    + "; remaining lag " + remaining);
            }
            Thread.sleep(progressEvery.toMillis());
        }
    }

    /** What is left between the committed offsets and the target; a partition not committed yet counts fully. */
    static long remainingLag(Map<TopicPartition, Long> target, Map<TopicPartition, Long> committed) {
        return target.entrySet().stream()
            .mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L)))
            .sum();
    }

    /**
     * The end of the log now: what the rebuild folds. The first call to Kafka, so it says which Kafka did not answer;
     * a missing log is a wrong cluster or topic prefix.
     */
    private Map<TopicPartition, Long> logEnd(Admin admin, String topic)
        throws InterruptedException, ExecutionException {
        String bootstrap = config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        try {
            return LogOffsets.end(admin, topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("no topic " + topic + " on " + bootstrap
                    + ": nothing to rebuild from (is " + ArgusConfig.TOPICS_PREFIX + " right?)");
            }
            if (e.getCause() instanceof TimeoutException) {
                throw new IllegalStateException("Kafka at " + bootstrap + " did not answer: "
                    + e.getCause().getMessage());
            }
            throw e;
        }
    }

    /** Under an id a running application uses, a rebuild would join its group and take its partitions. */
    private static void requireUnused(Admin admin, String applicationId)
        throws InterruptedException, ExecutionException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            throw new IllegalArgumentException("application id " + applicationId + " is in use by "
                + group.members().size() + " running member(s): rebuild under a new one (argus-v2, say)");
        }
    }

    private static long folded(ArgusStreams app) {
        long events = Arrays.stream(Effect.values())
            .mapToLong(effect -> app.counters().events(effect)).sum();
        return events + app.counters().deadLetters() + app.counters().reroutes() + app.counters().alreadyCopied();
    }

    private static String events(ArgusConfig config) {
        return config.get(ArgusConfig.TOPICS_PREFIX) + ArgusTopics.EVENTS;
    }
}
