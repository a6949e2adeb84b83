package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.HistoryChunk;
import io.argus.streams.state.HistoryRef;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.EventPlacement;
import io.argus.streams.topology.HistoryIndex;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events on a partition that does not own their batch, as librdkafka's default partitioner writes them, are folded
 * in the owner's task only: one state per batch, where the query service looks for it. A rebuild folds the same.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class MisplacedEventsIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BATCH = "bench-misplaced";
    private static final int PARTITIONS = 3;

    private final SharedTestStack stack;
    private final int owner = EventPlacement.rerouteAll(PARTITIONS).owner(BATCH);
    private final int elsewhere = (owner + 1) % PARTITIONS;
    private final TestEvents events = new TestEvents(BATCH);

    MisplacedEventsIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void misplacedEventsAreFoldedInTheOwnerTaskAndARebuildDoesNotCopyThemAgain(@TempDir Path stateDir)
        throws Exception {
        String prefix = TestNames.unique("misplaced") + ".";
        ArgusConfig live = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-live"), stateDir.resolve("live"));
        String topic = prefix + "argus.events";
        try (ArgusStreams app = ArgusStreams.start(live);
             KafkaProducer<String, ArgusEvent> producer = FoldOnBroker.producer(stack)) {
            assertThat(app.awaitRunning(DEADLINE)).isTrue();

            // A librdkafka client starts the batch on the wrong partition and runs two jobs ...
            FoldOnBroker.sendTo(producer, topic, elsewhere, List.of(events.batchStart(0, 4),
                events.jobStart(1, "j1", 1), events.jobDone(2, "j1", 1),
                events.jobStart(3, "j2", 1), events.jobDone(4, "j2", 1)));
            await().atMost(DEADLINE).ignoreExceptions().until(() -> batch(app.streams(), owner).getJobsDone() == 2);
            // ... a Java launcher resumes it where murmur2 puts it, then the first client finishes it.
            FoldOnBroker.sendTo(producer, topic, owner, List.of(events.batchStart(10, 4),
                events.jobStart(11, "j3", 1), events.jobDone(12, "j3", 1)));
            FoldOnBroker.sendTo(producer, topic, elsewhere, List.of(events.jobStart(13, "j4", 1),
                events.jobDone(14, "j4", 1), events.batchDone(15, BatchOutcome.done)));

            await().atMost(DEADLINE).ignoreExceptions()
                .until(() -> batch(app.streams(), owner).getStatus() == BatchStatus.done);
            BatchState batch = batch(app.streams(), owner);
            assertThat(batch.getJobsDone()).isEqualTo(4);
            assertThat(batch.getResumeCount()).isEqualTo(1);
            assertThat(batch.getHistorySize()).isEqualTo(11);
            for (int partition = 0; partition < PARTITIONS; partition++) {
                if (partition != owner) {
                    assertThat(batches(app.streams(), partition).get(BATCH))
                        .as("no state of the batch in the task of partition %d", partition).isNull();
                }
            }
            assertThat(history(app.streams())).as("the history indexes the copies, which /events reads")
                .hasSize(11).allSatisfy(ref -> assertThat(ref.getPartition()).isEqualTo(owner));
            assertThat(app.counters().reroutes()).isEqualTo(8);
        }

        Map<TopicPartition, Long> logBefore = logEnd(topic);
        ArgusConfig rebuilt = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-rebuilt"),
            stateDir.resolve("rebuilt"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        new Rebuild(rebuilt, new PrintStream(progress, true, StandardCharsets.UTF_8), Duration.ofMillis(200))
            .run(DEADLINE);

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("re-routed copies", "caught up in")
            .doesNotContain("folding their copies too");
        assertThat(logEnd(topic)).as("the rebuild copied nothing again").isEqualTo(logBefore);
        assertThat(identical(live, rebuilt)).isTrue();
    }

    @Test
    void aRebuildReRoutesWhatNoFoldCopiedAndFoldsTheCopiesBeforeItStops(@TempDir Path stateDir) throws Exception {
        String prefix = TestNames.unique("uncopied") + ".";
        ArgusConfig first = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-first"),
            stateDir.resolve("first"));
        String topic = prefix + "argus.events";
        try (ArgusStreams app = ArgusStreams.start(first);
             KafkaProducer<String, ArgusEvent> producer = FoldOnBroker.producer(stack)) {
            assertThat(app.awaitRunning(DEADLINE)).isTrue();
            FoldOnBroker.sendTo(producer, topic, elsewhere, List.of(events.batchStart(0, 2),
                events.jobStart(1, "j1", 1)));
            await().atMost(DEADLINE).ignoreExceptions().until(() -> batch(app.streams(), owner) != null);
        }
        // Sent while no fold runs: nothing has copied these yet.
        try (KafkaProducer<String, ArgusEvent> producer = FoldOnBroker.producer(stack)) {
            FoldOnBroker.sendTo(producer, topic, elsewhere, List.of(events.jobDone(2, "j1", 1),
                events.jobStart(3, "j2", 1), events.jobDone(4, "j2", 1)));
        }
        ArgusConfig rebuilt = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-rebuilt"),
            stateDir.resolve("rebuilt"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        new Rebuild(rebuilt, new PrintStream(progress, true, StandardCharsets.UTF_8), Duration.ofMillis(200))
            .run(DEADLINE);
        assertThat(progress.toString(StandardCharsets.UTF_8))
            .contains("re-routed 3 misplaced events: folding their copies too", "caught up in");

        // The first fold, started again, does not look for copies and copies the three once more; but the rebuild's
        // copies come first on the owner partition, so its own are duplicates and change nothing.
        try (ArgusStreams app = ArgusStreams.start(first)) {
            await().atMost(DEADLINE).ignoreExceptions().until(() -> batch(app.streams(), owner).getJobsDone() == 2);
            assertThat(app.counters().reroutes()).isEqualTo(3);
        }
        assertThat(identical(first, rebuilt)).isTrue();
    }

    private boolean identical(ArgusConfig one, ArgusConfig two) {
        ByteArrayOutputStream verdict = new ByteArrayOutputStream();
        boolean identical = StreamsCommand.compare(one, one.get(StreamsConfig.APPLICATION_ID_CONFIG),
            two.get(StreamsConfig.APPLICATION_ID_CONFIG), new PrintStream(verdict, true, StandardCharsets.UTF_8),
            System.out);
        System.out.print(verdict.toString(StandardCharsets.UTF_8));
        return identical;
    }

    private Map<TopicPartition, Long> logEnd(String topic) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            return LogOffsets.end(admin, topic);
        }
    }

    private static ReadOnlyKeyValueStore<String, BatchState> batches(KafkaStreams streams, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(ArgusTopology.BATCHES_STORE,
            QueryableStoreTypes.<String, BatchState>keyValueStore()).withPartition(partition));
    }

    private static BatchState batch(KafkaStreams streams, int partition) {
        BatchState batch = batches(streams, partition).get(BATCH);
        if (batch == null) {
            throw new IllegalStateException("batch not folded in the task of partition " + partition);
        }
        return batch;
    }

    private List<HistoryRef> history(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, HistoryChunk> chunks = streams.store(StoreQueryParameters.fromNameAndType(
            ArgusTopology.HISTORY_STORE, QueryableStoreTypes.<String, HistoryChunk>keyValueStore())
            .withPartition(owner));
        return chunks.get(HistoryIndex.chunkKey(BATCH, 0)).getEntries();
    }
}
