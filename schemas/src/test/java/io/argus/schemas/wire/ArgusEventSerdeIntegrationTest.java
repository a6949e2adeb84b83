package io.argus.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.registry.SchemaRegistryException;
import io.argus.schemas.AvroTrust;
import io.argus.schemas.EventType;
import io.argus.schemas.SchemaEvolution;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.testing.SampleEvents;
import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde through a real KRaft broker and a real Apicurio Registry speaking the Confluent API. */
@ExtendWith(RealKafkaAndRegistry.class)
class ArgusEventSerdeIntegrationTest {

    private final SharedTestStack stack;
    private SchemaRegistryClient registry;

    ArgusEventSerdeIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void connect() {
        registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(registrySettings()));
    }

    @AfterEach
    void disconnect() {
        registry.close();
    }

    @Test
    void eventsRoundTripThroughTheBrokerKeyedByBatchOnOnePartition() {
        String topic = TestNames.unique("serde-roundtrip");
        stack.kafka().createTopic(topic, 3, Map.of());
        List<ArgusEvent> sent = SampleEvents.oneOfEachType("bench-0123456789abcdef");

        try (KafkaProducer<String, ArgusEvent> producer = new KafkaProducer<>(producerConfig())) {
            for (ArgusEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, event.getBatchId(), event));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, ArgusEvent>> received = consumeAll(topic, sent.size());

        assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        assertThat(received).extracting(ConsumerRecord::key).containsOnly("bench-0123456789abcdef");
        assertThat(received).extracting(ConsumerRecord::partition).containsOnly(received.get(0).partition());
        assertThat(registry.lookup(topic + "-value", ArgusEvent.getClassSchema())).isPresent();
    }

    @Test
    void aNewerReaderReadsOlderBytesWithDefaults() {
        String topic = TestNames.unique("serde-v2-reads-v1");
        ArgusEvent v1Event = jobDone("b-1");
        byte[] v1Bytes = new AvroSerializer<ArgusEvent>(registry, SerdeSettings.defaults()).serialize(topic, v1Event);

        Schema v2 = testSchema("compatible-v2.avsc");
        GenericRecord read = new AvroDeserializer<GenericRecord>(registry, v2, GenericData.get())
            .deserialize(topic, v1Bytes);

        GenericRecord payload = (GenericRecord) read.get("payload");
        assertThat(payload.getSchema().getName()).isEqualTo("JobDone");
        assertThat(payload.get("job_id").toString()).isEqualTo("dam/lstm");
        assertThat(payload.get("duration_ms")).as("new field takes its default").isNull();
    }

    @Test
    void anOlderReaderReadsNewerBytes() {
        String topic = TestNames.unique("serde-v1-reads-v2");
        Schema v2 = testSchema("compatible-v2.avsc");
        GenericRecord v2Event = newerEnvelope(v2, "JobDone", Map.of("job_id", "dam/lstm", "attempt", 1,
            "metrics", Map.of("mae", 0.12), "duration_ms", 91_000L));
        byte[] v2Bytes = new AvroSerializer<GenericRecord>(registry, SerdeSettings.defaults()).serialize(topic, v2Event);

        ArgusEvent read = new ArgusEventDeserializer(registry).deserialize(topic, v2Bytes);

        assertThat(read.getPayload()).isInstanceOfSatisfying(JobDone.class, done -> {
            assertThat(done.getJobId()).isEqualTo("dam/lstm");
            assertThat(done.getMetrics()).containsEntry("mae", 0.12);
        });
    }

    @Test
    void anEventTypeUnknownToTheReaderIsRefusedNotReadAsAnotherType() {
        String topic = TestNames.unique("serde-unknown-type");
        Schema newer = testSchema("new-event-type-declared.avsc");
        AvroSerializer<GenericRecord> newerWriter = new AvroSerializer<>(registry, SerdeSettings.defaults());
        ArgusEventDeserializer reader = new ArgusEventDeserializer(registry);
        // Structurally, JobCancelled {job_id} fits Heartbeat {}: plain Avro resolution would read it as one.
        byte[] cancelled = newerWriter.serialize(topic, newerEnvelope(newer, "JobCancelled", Map.of("job_id", "j")));
        byte[] done = newerWriter.serialize(topic, newerEnvelope(newer, "JobDone",
            Map.of("job_id", "j", "attempt", 1, "metrics", Map.of(), "result", "{}")));

        assertThatThrownBy(() -> reader.deserialize(topic, cancelled))
            .isInstanceOfSatisfying(InvalidEventBytesException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
            .hasMessageContaining("io.argus.schemas.avro.JobCancelled");
        assertThat(reader.deserialize(topic, done).getPayload()).isInstanceOf(JobDone.class);
    }

    @Test
    void everyKindOfBadBytesRaisesOneExceptionTypeWithItsReason() {
        String topic = TestNames.unique("serde-bad-bytes");
        byte[] good = new AvroSerializer<ArgusEvent>(registry, SerdeSettings.defaults()).serialize(topic, jobDone("b"));
        ArgusEventDeserializer deserializer = new ArgusEventDeserializer(registry);

        assertRefused(deserializer, topic, new byte[0], Reason.TRUNCATED_HEADER);
        assertRefused(deserializer, topic, Arrays.copyOf(good, 3), Reason.TRUNCATED_HEADER);
        assertRefused(deserializer, topic, withByte(good, 0, (byte) 1), Reason.WRONG_MAGIC_BYTE);
        assertRefused(deserializer, topic, withSchemaId(good, 987_654_321), Reason.UNKNOWN_SCHEMA_ID);
        assertRefused(deserializer, topic, Arrays.copyOf(good, good.length - 4), Reason.CORRUPT_PAYLOAD);
        assertRefused(deserializer, topic, Arrays.copyOf(good, good.length + 2), Reason.CORRUPT_PAYLOAD);
        assertRefused(deserializer, topic, withBody(good, (byte) 0xff), Reason.CORRUPT_PAYLOAD);

        int unrelatedId = registry.register(TestNames.unique("unrelated") + "-value",
            SchemaBuilder.record("Unrelated").fields().requiredInt("x").endRecord());
        assertRefused(deserializer, topic, withSchemaId(good, unrelatedId), Reason.INCOMPATIBLE_SCHEMA);
    }

    @Test
    void anUnreachableRegistryIsNotMistakenForBadBytes() throws IOException {
        String topic = TestNames.unique("serde-registry-down");
        byte[] good = new AvroSerializer<ArgusEvent>(registry, SerdeSettings.defaults()).serialize(topic, jobDone("b"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> down = Map.of(
            "argus.registry.url", "http://127.0.0.1:" + closedPort,
            "argus.registry.max.retries", "0");
        try (SchemaRegistryClient unreachable = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(down))) {
            ArgusEventDeserializer deserializer = new ArgusEventDeserializer(unreachable);

            assertThatThrownBy(() -> deserializer.deserialize(topic, good))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(InvalidEventBytesException.class);
        }
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaFailsClearly() {
        String topic = TestNames.unique("serde-no-autoregister");
        AvroSerializer<ArgusEvent> serializer = new AvroSerializer<>(registry, new SerdeSettings(false));

        assertThatThrownBy(() -> serializer.serialize(topic, jobDone("b")))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining(topic + "-value")
            .hasMessageContaining(SerdeSettings.AUTO_REGISTER);

        registry.register(topic + "-value", ArgusEvent.getClassSchema());
        assertThat(serializer.serialize(topic, jobDone("b"))).isNotEmpty();
    }

    @Test
    void generatedClassesAreTrustedWithoutAnySystemProperty() {
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
        AvroTrust.trustGeneratedClasses();

        assertThat(ClassSecurityValidator.getGlobal().isTrusted(ArgusEvent.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(BatchOutcome.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(ServerSocket.class)).isFalse();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(EventType.class))
            .as("only generated Avro types, not every Argus class").isFalse();
    }

    private static void assertRefused(ArgusEventDeserializer deserializer, String topic, byte[] bytes, Reason reason) {
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
            .isInstanceOfSatisfying(InvalidEventBytesException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] withByte(byte[] original, int index, byte value) {
        byte[] copy = original.clone();
        copy[index] = value;
        return copy;
    }

    private static byte[] withBody(byte[] original, byte fill) {
        byte[] copy = original.clone();
        Arrays.fill(copy, WireFormat.HEADER_SIZE, copy.length, fill);
        return copy;
    }

    private static byte[] withSchemaId(byte[] original, int schemaId) {
        byte[] copy = original.clone();
        java.nio.ByteBuffer.wrap(copy, 1, 4).putInt(schemaId);
        return copy;
    }

    private static ArgusEvent jobDone(String batchId) {
        return SampleEvents.event(batchId, 6, JobDone.newBuilder().setJobId("dam/lstm").setAttempt(1)
            .setMetrics(Map.of("mae", 0.12)).setResult("{\"mae\":0.12}").build());
    }

    private static GenericRecord newerEnvelope(Schema schema, String payloadName, Map<String, Object> fields) {
        Schema payloadSchema = schema.getField("payload").schema().getTypes().stream()
            .filter(s -> s.getName().equals(payloadName)).findFirst().orElseThrow();
        GenericRecord payload = new GenericData.Record(payloadSchema);
        payloadSchema.getFields().forEach(f -> payload.put(f.name(), fields.get(f.name())));
        GenericRecord event = new GenericData.Record(schema);
        event.put("event_id", "9b0e5f7e-0000-4000-8000-000000000002");
        event.put("batch_id", "b-3");
        event.put("ts", 1_763_900_000_000L);
        event.put("producer", "newer-launcher");
        event.put("payload", payload);
        return event;
    }

    private static Schema testSchema(String name) {
        try (InputStream in = SchemaEvolution.class.getResourceAsStream("/evolution/" + name)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> registrySettings() {
        return Map.of("argus.registry.url", stack.registry().confluentApiUrl());
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.putAll(registrySettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ArgusEventSerializer.class);
        return config;
    }

    private List<ConsumerRecord<String, ArgusEvent>> consumeAll(String topic, int expected) {
        Properties config = new Properties();
        config.putAll(registrySettings());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, TestNames.unique("serde-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ArgusEventDeserializer.class);
        List<ConsumerRecord<String, ArgusEvent>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, ArgusEvent> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records consumed from %s within 30 s", topic).hasSize(expected);
        return records;
    }
}
