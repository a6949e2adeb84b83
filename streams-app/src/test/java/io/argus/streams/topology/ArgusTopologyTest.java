package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.wire.ArgusEventSerde;
import io.argus.schemas.wire.AvroSerializer;
import io.argus.schemas.wire.SerdeSettings;
import io.argus.streams.fold.Effect;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobState;
import io.argus.streams.state.HistoryChunk;
import io.argus.streams.state.HistoryRef;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The topology in a TopologyTestDriver, with the real serde against the real registry. */
@ExtendWith(RealKafkaAndRegistry.class)
class ArgusTopologyTest {

    private static final Duration VIEW_INTERVAL = Duration.ofMillis(100);

    private final SharedTestStack stack;
    private SchemaRegistryClient registry;
    private ArgusTopics topics;
    private FoldCounters counters;
    private final BatchChanges changes = new BatchChanges();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, String> views;
    private TestOutputTopic<String, byte[]> deadLetters;
    private AvroSerializer<ArgusEvent> serializer;
    private final TestEvents events = new TestEvents("bench-topology");

    ArgusTopologyTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(
            Map.of(RegistryClientConfig.URL, stack.registry().confluentApiUrl())));
        topics = new ArgusTopics(new ArgusEventSerde(registry, SerdeSettings.defaults()), TestNames.unique("t") + ".");
        counters = new FoldCounters();
        Topology topology = ArgusTopology.build(topics, topics.events().valueSerde().deserializer(), counters,
            changes, VIEW_INTERVAL, new MemoryBudget(1 << 20), EventPlacement.rerouteAll(1));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("topology-test"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, config);
        input = driver.createInputTopic(topics.events().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
        views = driver.createOutputTopic(topics.batchViews().name(), Serdes.String().deserializer(),
            Serdes.String().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer());
        serializer = new AvroSerializer<>(registry, SerdeSettings.defaults());
    }

    @AfterEach
    void stopDriver() {
        driver.close();
        registry.close();
    }

    @Test
    void everyNodeAndStoreHasItsFixedName() {
        TopologyDescription description = ArgusTopology.build(new ArgusTopics(Serdes.serdeFrom(
                serializer, topics.events().valueSerde().deserializer())), topics.events().valueSerde().deserializer(),
            new FoldCounters(), new BatchChanges(), VIEW_INTERVAL, new MemoryBudget(1 << 20),
            EventPlacement.rerouteAll(3)).describe();
        List<String> nodes = new ArrayList<>();
        List<String> stores = new ArrayList<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            nodes.add(node.name());
            if (node instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            }
        }));

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(nodes).containsExactlyInAnyOrder(ArgusTopology.SOURCE, ArgusTopology.FOLD,
            ArgusTopology.BATCH_VIEWS_SINK, ArgusTopology.DEAD_LETTER_SINK, ArgusTopology.REROUTE_SINK);
        assertThat(stores).containsExactlyInAnyOrder("batches", "jobs", "history", "pending-views");
        assertThat(description.toString())
            .contains("topics: [argus.events]", "topic: argus.batch-views", "topic: argus.events.dlq",
                "Sink: argus-reroute-sink (topic: argus.events)")
            .doesNotContain("KSTREAM-", "KTABLE-");
    }

    @Test
    void foldsABatchIntoStoresHistoryAndViews() {
        send(events.batchStart(0, 3), events.jobStart(1, "dam/lstm", 1), events.jobStart(2, "dam/tcn", 1),
            events.jobStart(3, "solar/lstm", 1), events.jobDone(10, "dam/lstm", 1), events.jobDone(11, "dam/tcn", 1),
            events.jobFailed(12, "solar/lstm", 1, 0, "OOM"));

        BatchState batch = batches().get("bench-topology");
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.running);
        assertThat(batch.getJobsDone()).isEqualTo(2);
        assertThat(batch.getJobsFailed()).isEqualTo(1);
        assertThat(jobsOf("bench-topology")).extracting(JobState::getJobId)
            .containsExactly("dam/lstm", "dam/tcn", "solar/lstm");
        assertThat(historyOf("bench-topology")).hasSize(7)
            .extracting(ref -> ref.getType().name())
            .containsExactly("batch_start", "job_start", "job_start", "job_start", "job_done", "job_done", "job_failed");
        assertThat(historyOf("bench-topology")).extracting(HistoryRef::getOffset)
            .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(batch.getHistorySize()).isEqualTo(7);

        assertThat(views.isEmpty()).as("views wait for the interval").isTrue();
        driver.advanceWallClockTime(VIEW_INTERVAL);
        List<KeyValue<String, String>> published = views.readKeyValuesToList();
        assertThat(published).as("one view per changed batch and interval, the latest")
            .extracting(kv -> kv.key).containsExactly("bench-topology");
        JsonNode latest = json(published.get(0).value);
        assertThat(latest.path("status").asText()).isEqualTo("running");
        assertThat(latest.path("job_counts").path("done").asInt()).isEqualTo(2);
        assertThat(latest.path("job_counts").path("failed").asInt()).isEqualTo(1);
        assertThat(latest.path("job_counts").path("pending").asInt()).isZero();
        assertThat(latest.path("start_time").asText()).isEqualTo("2026-11-23T08:00:00Z");
        assertThat(counters.events(Effect.APPLIED)).isEqualTo(7);
    }

    @Test
    void listenersHearOfEveryChangeOfTheirBatchAndNotOfDuplicates() {
        AtomicInteger heard = new AtomicInteger();
        ArgusEvent start = events.batchStart(0, 3);
        try (BatchChanges.Listening listening = changes.listen("bench-topology", heard::incrementAndGet);
             BatchChanges.Listening elsewhere = changes.listen("another-batch", () -> {
                 throw new AssertionError("a listener of another batch is not told");
             })) {
            send(start, events.jobStart(1, "j", 1), start);
            assertThat(heard).as("two changes, then a duplicate").hasValue(2);
        }
        send(events.jobDone(2, "j", 1));
        assertThat(heard).as("a closed listener hears nothing").hasValue(2);
    }

    @Test
    void aReSentEventChangesNothingAndPublishesNothing() {
        ArgusEvent start = events.batchStart(0, 3);
        ArgusEvent job = events.jobStart(1, "j", 1);
        send(start, job, events.jobFailed(2, "j", 1, 0, "OOM"), events.jobStart(3, "j", 2));
        BatchState before = batches().get("bench-topology");
        driver.advanceWallClockTime(VIEW_INTERVAL);
        assertThat(views.readKeyValuesToList()).hasSize(1);

        send(job, start);
        driver.advanceWallClockTime(VIEW_INTERVAL);

        assertThat(batches().get("bench-topology")).isEqualTo(before);
        assertThat(jobsOf("bench-topology")).singleElement().satisfies(j -> assertThat(j.getHistory()).isEmpty());
        assertThat(historyOf("bench-topology")).as("a duplicate takes no place in the history").hasSize(4);
        assertThat(views.isEmpty()).isTrue();
        assertThat(counters.events(Effect.DUPLICATE)).isEqualTo(2);
    }

    @Test
    void everyInvalidRecordIsDeadLetteredWithItsReasonAndOriginAndTheRestIsFolded() {
        byte[] good = bytes(events.jobStart(1, "j", 1));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 7;
        byte[] unknownId = good.clone();
        java.nio.ByteBuffer.wrap(unknownId, 1, 4).putInt(999_999_999);
        List<Object[]> cases = List.of(
            new Object[] {"b", "not avro".getBytes(StandardCharsets.UTF_8), "bytes", "WRONG_MAGIC_BYTE"},
            new Object[] {"b", new byte[] {0, 0}, "bytes", "TRUNCATED_HEADER"},
            new Object[] {"bench-topology", wrongMagic, "bytes", "WRONG_MAGIC_BYTE"},
            new Object[] {"bench-topology", unknownId, "bytes", "UNKNOWN_SCHEMA_ID"},
            new Object[] {"bench-topology", java.util.Arrays.copyOf(good, good.length - 3), "bytes", "CORRUPT_PAYLOAD"},
            new Object[] {"bench-topology", null, "bytes", "NULL_VALUE"},
            new Object[] {"", bytes(new TestEvents("").batchStart(0, 3)), "invalid", "batch_id"},
            new Object[] {"bench-topology", bytes(events.jobStart(1, "j", 0)), "invalid", "attempt"},
            new Object[] {"bench-topology", bytes(events.event(1, BatchStart.newBuilder().setSourceProject("p")
                .setExperimentType("e").setNTotal(-1).setCommand("c").build())), "invalid", "n_total"},
            new Object[] {"bench-topology", bytes(events.event(1, new JobStart("", 1, Map.of()))), "invalid", "job_id"},
            new Object[] {"bench-topology", bytes(events.jobStart(1, "j\u0000x", 1)), "invalid", "job_id"},
            new Object[] {"b\u001b[31m", bytes(withBatchId(events.batchStart(0, 3), "b\u001b[31m")), "invalid", "batch_id"},
            new Object[] {"bench-topology", bytes(withTs(events.heartbeat(1), Instant.parse("+10000-01-01T00:00:00Z"))),
                "invalid", "ts"},
            new Object[] {"bench-topology", bytes(events.event(1, new JobDone("j", 1, Map.of("loss", Double.NaN),
                null, null))), "invalid", "metrics"},
            new Object[] {"bench-topology", bytes(events.event(1, new JobProgress("j", 1, 5L,
                Map.of("loss", Double.NEGATIVE_INFINITY)))), "invalid", "metrics"},
            new Object[] {"another-batch", good, "invalid", "key"});

        for (Object[] c : cases) {
            input.pipeInput((String) c[0], (byte[]) c[1]);
        }
        send(events.batchStart(0, 3));

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(r -> header(r, DeadLetters.CATEGORY) + "/" + header(r, DeadLetters.REASON))
            .containsExactlyElementsOf(cases.stream().map(c -> c[2] + "/" + c[3]).collect(Collectors.toList()));
        for (int i = 0; i < letters.size(); i++) {
            TestRecord<String, byte[]> letter = letters.get(i);
            assertThat(letter.key()).isEqualTo(cases.get(i)[0]);
            assertThat(letter.value()).isEqualTo((byte[]) cases.get(i)[1]);
            assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(topics.events().name());
            assertThat(header(letter, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo(Integer.toString(i));
            assertThat(header(letter, DeadLetters.DETAIL)).isNotBlank();
        }
        assertThat(counters.deadLetters()).isEqualTo(cases.size());
        assertThat(counters.deadLettersByReason()).containsEntry("WRONG_MAGIC_BYTE", 2L).containsEntry("attempt", 1L);
        assertThat(batches().get("bench-topology").getStatus()).as("the pipeline kept running")
            .isEqualTo(BatchStatus.running);
    }

    @Test
    void anEventTypeUnknownHereIsDeadLetteredWhileTheSameWriterVersionsOtherEventsFold() {
        Schema newer = schema("new-event-type-declared.avsc");
        AvroSerializer<GenericRecord> newerWriter = new AvroSerializer<>(registry, SerdeSettings.defaults());
        GenericRecord cancelled = envelope(newer, "JobCancelled", Map.of("job_id", "j"));
        GenericRecord started = envelope(newer, "JobStart", Map.of("job_id", "j", "attempt", 1, "params", Map.of()));

        send(events.batchStart(0, 3));
        input.pipeInput("bench-topology", newerWriter.serialize(topics.events().name(), cancelled));
        input.pipeInput("bench-topology", newerWriter.serialize(topics.events().name(), started));

        assertThat(deadLetters.readRecordsToList()).singleElement()
            .satisfies(r -> assertThat(header(r, DeadLetters.REASON)).isEqualTo("INCOMPATIBLE_SCHEMA"));
        assertThat(jobsOf("bench-topology")).extracting(JobState::getJobId).containsExactly("j");
    }

    private GenericRecord envelope(Schema schema, String payloadName, Map<String, Object> fields) {
        Schema payloadSchema = schema.getField("payload").schema().getTypes().stream()
            .filter(s -> s.getName().equals(payloadName)).findFirst().orElseThrow();
        GenericRecord payload = new GenericData.Record(payloadSchema);
        fields.forEach(payload::put);
        GenericRecord event = new GenericData.Record(schema);
        event.put("event_id", TestNames.unique("newer-event"));
        event.put("batch_id", "bench-topology");
        event.put("ts", TestEvents.at(5));
        event.put("producer", "newer-launcher");
        event.put("payload", payload);
        return event;
    }

    private void send(ArgusEvent... sent) {
        for (ArgusEvent event : sent) {
            input.pipeInput(event.getBatchId(), bytes(event));
        }
    }

    private static ArgusEvent withBatchId(ArgusEvent event, String batchId) {
        event.setBatchId(batchId);
        return event;
    }

    private static ArgusEvent withTs(ArgusEvent event, Instant ts) {
        event.setTs(ts);
        return event;
    }

    private byte[] bytes(ArgusEvent event) {
        return serializer.serialize(topics.events().name(), event);
    }

    private KeyValueStore<String, BatchState> batches() {
        return driver.getKeyValueStore(ArgusTopology.BATCHES_STORE);
    }

    private List<JobState> jobsOf(String batchId) {
        return prefix(driver.<String, JobState>getKeyValueStore(ArgusTopology.JOBS_STORE), batchId);
    }

    private List<HistoryRef> historyOf(String batchId) {
        return prefix(driver.<String, HistoryChunk>getKeyValueStore(ArgusTopology.HISTORY_STORE), batchId).stream()
            .flatMap(chunk -> chunk.getEntries().stream()).toList();
    }

    private static <V> List<V> prefix(KeyValueStore<String, V> store, String batchId) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> range = store.prefixScan(StoreKeys.batchPrefix(batchId),
            Serdes.String().serializer())) {
            range.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return ViewJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema schema(String name) {
        try (InputStream in = ArgusTopologyTest.class.getResourceAsStream("/evolution/" + name)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
