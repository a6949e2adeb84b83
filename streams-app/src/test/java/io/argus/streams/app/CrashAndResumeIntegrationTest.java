package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.StoreKeys;
import io.argus.streams.view.ViewJson;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real broker and registry: a batch of 120 jobs crashes after 47, the resumed run asks what is
 * left and runs only that; then a rebuild under a new application id ends with byte-identical stores.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class CrashAndResumeIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BATCH = "bench-5e1f00aa42c0ffee";

    private final SharedTestStack stack;

    CrashAndResumeIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void aCrashedBatchResumesWithOnlyWhatIsLeftAndARebuildEndsWithIdenticalStores(@TempDir Path stateDir)
        throws Exception {
        String prefix = TestNames.unique("resume") + ".";
        ArgusConfig first = FoldOnBroker.config(stack, prefix, 
            TestNames.unique("argus-first"), stateDir.resolve("first"));
        List<String> planned = IntStream.range(0, 120).mapToObj(i -> "dataset" + (i / 12) + "/model" + (i % 12))
            .toList();
        TestEvents events = new TestEvents(BATCH);

        try (ArgusStreams app = ArgusStreams.start(first);
             KafkaProducer<String, ArgusEvent> launcher = FoldOnBroker.producer(stack)) {
            assertThat(app.awaitRunning(DEADLINE)).isTrue();
            String topic = app.topics().events().name();

            // The first run finishes 47 jobs and dies while the 48th is running.
            ArgusEvent start = events.batchStart(0, 120);
            List<ArgusEvent> firstRun = new ArrayList<>(List.of(start));
            for (int i = 0; i < 47; i++) {
                firstRun.add(events.jobStart(10 + i, planned.get(i), 1));
                firstRun.add(events.progress(10 + i, planned.get(i), 1, 100));
                firstRun.add(events.jobDone(11 + i, planned.get(i), 1));
            }
            firstRun.add(events.jobStart(60, planned.get(47), 1));
            firstRun.add(events.progress(61, planned.get(47), 1, 40));
            // A spool re-sends what it was not sure about: the same events, the same ids.
            firstRun.add(start);
            firstRun.add(firstRun.get(3));
            FoldOnBroker.send(launcher, topic, firstRun);

            await().atMost(DEADLINE).ignoreExceptions()
                .until(() -> batch(app.streams()).getJobsDone() == 47);

            // The resumed run asks what is left and runs only that.
            Map<String, JobState> known = jobs(app.streams());
            List<String> remaining = planned.stream()
                .filter(id -> !known.containsKey(id) || known.get(id).getStatus() != JobStatus.done)
                .toList();
            assertThat(remaining).hasSize(73).startsWith(planned.get(47));

            List<ArgusEvent> resumed = new ArrayList<>(List.of(events.batchStart(1000, 120)));
            for (String jobId : remaining) {
                int attempt = known.containsKey(jobId) ? known.get(jobId).getAttempt() + 1 : 1;
                resumed.add(events.jobStart(1001, jobId, attempt));
                resumed.add(events.jobDone(1002, jobId, attempt));
            }
            resumed.add(events.batchDone(1100, BatchOutcome.done));
            FoldOnBroker.send(launcher, topic, resumed);

            await().atMost(DEADLINE).ignoreExceptions()
                .until(() -> batch(app.streams()).getStatus() == BatchStatus.done);
            BatchState batch = batch(app.streams());
            assertThat(batch.getJobsDone()).isEqualTo(120);
            assertThat(batch.getJobsRunning()).isZero();
            assertThat(batch.getJobsFailed()).isZero();
            assertThat(batch.getResumeCount()).isEqualTo(1);
            assertThat(batch.getStartTime()).isEqualTo(TestEvents.at(0));
            assertThat(batch.getLastResumedAt()).isEqualTo(TestEvents.at(1000));

            Map<String, JobState> finished = jobs(app.streams());
            assertThat(finished).hasSize(120);
            assertThat(finished.values()).allSatisfy(job -> assertThat(job.getStatus()).isEqualTo(JobStatus.done));
            assertThat(finished.get(planned.get(47)).getAttempt()).isEqualTo(2);
            assertThat(finished.get(planned.get(0)).getAttempt()).isEqualTo(1);

            JsonNode view = lastView(app.topics().batchViews().name());
            assertThat(view.path("status").asText()).isEqualTo("done");
            assertThat(view.path("job_counts").path("done").asInt()).isEqualTo(120);
            assertThat(view.path("progress").asDouble()).isEqualTo(1.0);
            assertThat(view.path("resume_count").asInt()).isEqualTo(1);
        }
        ArgusConfig rebuilt = FoldOnBroker.config(stack, prefix, 
            TestNames.unique("argus-rebuilt"), stateDir.resolve("rebuilt"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        long folded = new Rebuild(rebuilt, new PrintStream(progress, true, StandardCharsets.UTF_8),
            Duration.ofMillis(200)).run(DEADLINE);

        long logged = (1 + 47 * 3 + 2 + 2) + (1 + 73 * 2 + 1);
        // At least: under exactly-once an aborted transaction's records are folded again (and counted again).
        assertThat(folded).as("every record of the log, duplicates included").isGreaterThanOrEqualTo(logged);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("remaining lag 0", "caught up in");
        ByteArrayOutputStream verdict = new ByteArrayOutputStream();
        boolean identical = StreamsCommand.compare(first, first.get(StreamsConfig.APPLICATION_ID_CONFIG),
            rebuilt.get(StreamsConfig.APPLICATION_ID_CONFIG), new PrintStream(verdict, true, StandardCharsets.UTF_8),
            System.out);
        assertThat(identical).as(verdict.toString(StandardCharsets.UTF_8)).isTrue();
        Map<String, StoreDigest.Digest> digests = digests(rebuilt);
        assertThat(digests.get(ArgusTopology.JOBS_STORE).keys()).isEqualTo(120);
        assertThat(digests.get(ArgusTopology.BATCHES_STORE).keys()).isEqualTo(1);
    }

    @Test
    void verifyTellsDifferentStoresApart(@TempDir Path stateDir) throws Exception {
        String prefix = TestNames.unique("verify") + ".";
        ArgusConfig one = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-one"), stateDir.resolve("one"));
        ArgusConfig two = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-two"), stateDir.resolve("two"));
        TestEvents events = new TestEvents(BATCH);
        try (KafkaProducer<String, ArgusEvent> launcher = FoldOnBroker.producer(stack)) {
            String topic = prefix + "argus.events";
            try (ArgusStreams app = ArgusStreams.start(one)) {
                FoldOnBroker.send(launcher, topic, List.of(events.batchStart(0, 2), events.jobStart(1, "j", 1)));
                await().atMost(DEADLINE).ignoreExceptions().until(() -> jobs(app.streams()).containsKey("j"));
            }
            FoldOnBroker.send(launcher, topic, List.of(events.jobDone(2, "j", 1)));
            new Rebuild(two, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Duration.ofMillis(200)).run(DEADLINE);
        }
        ByteArrayOutputStream verdict = new ByteArrayOutputStream();

        boolean identical = StreamsCommand.compare(one, one.get(StreamsConfig.APPLICATION_ID_CONFIG),
            two.get(StreamsConfig.APPLICATION_ID_CONFIG), new PrintStream(verdict, true, StandardCharsets.UTF_8),
            System.out);

        assertThat(identical).isFalse();
        assertThat(verdict.toString(StandardCharsets.UTF_8)).contains("DIFFERENT", "stores differ");
    }

    private Map<String, StoreDigest.Digest> digests(ArgusConfig config) {
        Properties client = new Properties();
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        return Set.of(ArgusTopology.BATCHES_STORE, ArgusTopology.JOBS_STORE, ArgusTopology.HISTORY_STORE).stream()
            .map(store -> StoreDigest.of(client, applicationId, store, DEADLINE, System.out))
            .collect(Collectors.toMap(StoreDigest.Digest::store, digest -> digest));
    }

    private static BatchState batch(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, BatchState> batches = streams.store(StoreQueryParameters.fromNameAndType(
            ArgusTopology.BATCHES_STORE, QueryableStoreTypes.<String, BatchState>keyValueStore()));
        BatchState batch = batches.get(BATCH);
        if (batch == null) {
            throw new IllegalStateException("batch not folded yet");
        }
        return batch;
    }

    private static Map<String, JobState> jobs(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, JobState> jobs = streams.store(StoreQueryParameters.fromNameAndType(
            ArgusTopology.JOBS_STORE, QueryableStoreTypes.<String, JobState>keyValueStore()));
        Map<String, JobState> byId = new HashMap<>();
        try (KeyValueIterator<String, JobState> range =
                 jobs.prefixScan(StoreKeys.batchPrefix(BATCH), Serdes.String().serializer())) {
            range.forEachRemaining(kv -> byId.put(kv.value.getJobId(), kv.value));
        }
        return byId;
    }

    private JsonNode lastView(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, TestNames.unique("view-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> views = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(DEADLINE).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    views.add(record.value());
                }
                return !views.isEmpty() && views.get(views.size() - 1).contains("\"status\":\"done\"");
            });
        }
        try {
            return ViewJson.mapper().readTree(views.get(views.size() - 1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
