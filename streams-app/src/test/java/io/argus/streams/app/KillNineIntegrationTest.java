package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.streams.fold.TestEvents;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold's JVM killed with SIGKILL in the middle of its work (under exactly-once a transaction is always open
 * while events flow), then started again on the same state directory: once caught up, its stores are
 * byte-identical to those of a clean rebuild of the same log. What the killed process held in its write-back
 * stores and its open transaction is lost and must be folded again, never half kept.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class KillNineIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int BATCHES = 12;
    private static final int JOBS_PER_BATCH = 60;

    private final SharedTestStack stack;

    KillNineIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void aFoldKilledMidTransactionEndsIdenticalToACleanRebuild(@TempDir Path dir) throws Exception {
        String prefix = TestNames.unique("kill9") + ".";
        String topic = prefix + "argus.events";
        String killed = TestNames.unique("argus-killed");
        List<ArgusEvent> log = events();
        int half = log.size() / 2;

        Process first = fold(killed, prefix, dir.resolve("killed"), dir.resolve("first.log"));
        try (KafkaProducer<String, ArgusEvent> producer = FoldOnBroker.producer(stack); Admin admin = admin()) {
            awaitTopic(admin, topic);
            FoldOnBroker.send(producer, topic, log.subList(0, half));
            // Killed once it has committed some of the log and is still folding the rest.
            await().atMost(DEADLINE).until(() -> committed(admin, killed) > half / 4);
            FoldOnBroker.send(producer, topic, log.subList(half, log.size()));
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long end = endOffsets(admin, topic);
            assertThat(committed(admin, killed)).as("killed before it caught up").isLessThan(end);

            Process second = fold(killed, prefix, dir.resolve("killed"), dir.resolve("second.log"));
            try {
                await().atMost(DEADLINE).until(() -> committed(admin, killed) == end);
            } finally {
                second.destroy();
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(dir.resolve("second.log")))
                    .isTrue();
            }
        }

        ArgusConfig rebuilt = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-clean"), dir.resolve("clean"));
        new Rebuild(rebuilt, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Duration.ofMillis(500)).run(DEADLINE);
        ByteArrayOutputStream verdict = new ByteArrayOutputStream();
        boolean identical = StreamsCommand.compare(rebuilt, killed, rebuilt.get(StreamsConfig.APPLICATION_ID_CONFIG),
            new PrintStream(verdict, true, StandardCharsets.UTF_8), System.out);
        assertThat(identical).as(verdict.toString(StandardCharsets.UTF_8)).isTrue();
    }

    /** The realistic mix, interleaved across batches, with failures, retries, stale reports and re-sent events. */
    private static List<ArgusEvent> events() {
        Random random = new Random(7);
        List<List<ArgusEvent>> perBatch = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            TestEvents events = new TestEvents(TestNames.unique("kill9-batch"));
            List<ArgusEvent> batch = new ArrayList<>(List.of(events.batchStart(0, JOBS_PER_BATCH)));
            for (int j = 0; j < JOBS_PER_BATCH; j++) {
                String job = "job-" + j;
                batch.add(events.jobStart(j, job, 1));
                for (int step = 1; step <= 10; step++) {
                    batch.add(events.progress(j + step, job, 1, step * 10L));
                }
                if (random.nextInt(5) == 0) {
                    batch.add(events.jobFailed(j + 11, job, 1, 0, "OOM"));
                    batch.add(events.jobFailed(j + 11, job, 1, 1, "OOM"));
                    batch.add(events.attribution(j + 12, job, 1, io.argus.schemas.avro.Verdict.RESTART));
                    batch.add(events.jobStart(j + 13, job, 2));
                    batch.add(events.progress(j + 14, job, 1, 200)); // a zombie of the first attempt
                    batch.add(events.jobDone(j + 15, job, 2));
                } else {
                    batch.add(events.jobDone(j + 11, job, 1));
                }
                if (random.nextInt(10) == 0) {
                    batch.add(batch.get(random.nextInt(batch.size()))); // re-sent by a spool
                }
            }
            batch.add(events.batchDone(500, BatchOutcome.done));
            perBatch.add(batch);
        }
        List<ArgusEvent> log = new ArrayList<>();
        int[] next = new int[BATCHES];
        while (log.size() < perBatch.stream().mapToInt(List::size).sum()) {
            int b = random.nextInt(BATCHES);
            if (next[b] < perBatch.get(b).size()) {
                log.add(perBatch.get(b).get(next[b]++));
            }
        }
        return log;
    }

    private Process fold(String applicationId, String prefix, Path stateDir, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), StreamsCommand.class.getName(), "run")
            .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("ARGUS_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
        env.put("ARGUS_REGISTRY_URL", stack.registry().confluentApiUrl());
        env.put("ARGUS_APPLICATION_ID", applicationId);
        env.put("ARGUS_STATE_DIR", stateDir.toString());
        env.put("ARGUS_TOPICS_PREFIX", prefix);
        env.put("ARGUS_TOPICS_PARTITIONS", "3");
        // The killed member never leaves the group: let the restarted one take over soon.
        env.put("ARGUS_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("ARGUS_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        return builder.start();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
    }

    private static void awaitTopic(Admin admin, String topic) {
        await().atMost(DEADLINE).ignoreExceptions()
            .until(() -> admin.listTopics().names().get().contains(topic));
    }

    private static long committed(Admin admin, String applicationId) throws Exception {
        return LogOffsets.committed(admin, applicationId).values().stream().mapToLong(Long::longValue).sum();
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, Long> end = LogOffsets.end(admin, topic);
        return end.values().stream().mapToLong(Long::longValue).sum();
    }
}
