package io.argus.bench.fold;

import io.argus.bench.ChildJvm;
import io.argus.streams.app.LogOffsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Times a Streams app in another process from the outside, by its consumer group's committed offsets on the input
 * topic: the same clock for Argus and the bare count. Committed offsets move at each commit (every 100 ms under
 * exactly-once), so the clock starts at the first commit seen and the events counted are those committed after it.
 */
final class GroupProgress implements AutoCloseable {

    /** How often the committed offsets are read. */
    static final long POLL_MS = 20;

    private final Admin admin;

    GroupProgress(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * What one timed run saw. The second half of the log is timed apart: a fresh JVM spends much of its first
     * seconds compiling (on 2 cores the JIT took more CPU than the fold did), and a service runs for months.
     */
    record Timed(long total, long events, double seconds, double startupSeconds, long secondHalfEvents,
                 double secondHalfSeconds) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double secondHalfEventsPerSecond() {
            return secondHalfEvents / secondHalfSeconds;
        }
    }

    /**
     * Waits until the group has committed the topic's end offsets.
     *
     * @param startedNanos when the process was started, for the start-up time
     * @param app          the process, so a crash fails the run at once
     */
    Timed awaitCaughtUp(String group, String topic, long startedNanos, ChildJvm app, Duration timeout) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        long deadline = startedNanos + timeout.toNanos();
        long firstNanos = 0;
        long firstCommitted = 0;
        long halfNanos = 0;
        long halfCommitted = 0;
        while (true) {
            long committed = committed(group, end);
            long now = System.nanoTime();
            if (committed > 0 && firstNanos == 0) {
                firstNanos = now;
                firstCommitted = committed;
            }
            if (committed >= total / 2 && halfNanos == 0) {
                halfNanos = now;
                halfCommitted = committed;
            }
            if (committed >= total) {
                if (firstCommitted >= total) {
                    throw new IllegalStateException(group + " committed everything before it was first seen: the"
                        + " topic is too small to time");
                }
                return new Timed(total, total - firstCommitted, (now - firstNanos) / 1e9,
                    (firstNanos - startedNanos) / 1e9,
                    total - halfCommitted, (now - halfNanos) / 1e9);
            }
            if (!app.isAlive()) {
                throw new IllegalStateException(app + " exited after committing " + committed + " of " + total
                    + " records. " + app.tail());
            }
            if (now - deadline > 0) {
                throw new IllegalStateException(group + " committed only " + committed + " of " + total
                    + " records within " + timeout.toSeconds() + " s; log " + app.log());
            }
            io.argus.bench.Waits.sleep(POLL_MS);
        }
    }

    private long committed(String group, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> offsets = call(() -> LogOffsets.committed(admin, group));
        return end.keySet().stream().mapToLong(partition -> offsets.getOrDefault(partition, 0L)).sum();
    }

    /**
     * The records in an application's changelog topics, by store. End offsets: under exactly-once they also count
     * one transaction marker per partition and commit, a few per cent here.
     */
    Map<String, Long> changelogRecords(String applicationId) {
        String prefix = applicationId + "-";
        Map<String, Long> records = new TreeMap<>();
        for (String topic : call(() -> admin.listTopics().names().get())) {
            if (topic.startsWith(prefix) && topic.endsWith("-changelog")) {
                String store = topic.substring(prefix.length(), topic.length() - "-changelog".length());
                records.put(store, endOffsets(topic).values().stream().mapToLong(Long::longValue).sum());
            }
        }
        return records;
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        return call(() -> LogOffsets.end(admin, topic));
    }

    /** An admin call of LogOffsets, its checked exceptions made the bench's failure. */
    private static <T> T call(Callable<T> adminCall) {
        try {
            return adminCall.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("an admin call failed", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
