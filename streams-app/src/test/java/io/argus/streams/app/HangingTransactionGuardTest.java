package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.teststack.EmbeddedKafkaCluster;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction open on a partition that no coordinator tracks holds back every read_committed reader for good.
 * The test makes one the way a lost coordinator state does: a transactional batch written straight to the
 * partition, by a producer id no coordinator knows (the broker's check against the coordinator is off for that).
 */
class HangingTransactionGuardTest {

    private static final short PRODUCE_VERSION = ProduceRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2;
    private static final Duration LOOK_INTERVAL = Duration.ofMillis(100);

    @TempDir
    static Path baseDir;
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start(baseDir, Map.of("transaction.partition.verification.enable", "false"));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aHangingTransactionIsAbortedAndTheReadersMoveOn() throws Exception {
        String topic = "argus-hang-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of());
        TopicPartition partition = new TopicPartition(topic, 0);
        writeOrphanTransaction(partition, 424_242L);
        produceCommitted(topic, "after-the-hang");
        assertThat(readCommitted(partition, Duration.ofSeconds(2))).as("held back").isEmpty();

        try (HangingTransactionGuard guard = guard(topic, HangingTransactionGuard.Mode.ABORT)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> guard.aborted() == 1);
            assertThat(guard.found()).isEqualTo(1);
        }
        assertThat(readCommitted(partition, Duration.ofSeconds(30))).containsExactly("after-the-hang");
    }

    @Test
    void inWarnModeItIsFoundAndLeftOpen() throws Exception {
        String topic = "argus-hang-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of());
        TopicPartition partition = new TopicPartition(topic, 0);
        writeOrphanTransaction(partition, 434_343L);

        try (HangingTransactionGuard guard = guard(topic, HangingTransactionGuard.Mode.WARN)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> guard.found() == 1);
            assertThat(guard.aborted()).isZero();
        }
        try (Admin admin = admin()) {
            assertThat(new HangingTransactions(admin, topic::equals, "none").untracked()).hasSize(1);
        }
    }

    @Test
    void liveTransactionsAreNeverTakenForHangingOnes() throws Exception {
        String topic = "argus-live-" + UUID.randomUUID();
        kafka.createTopic(topic, 2, Map.of());
        Properties config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "argus-live-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config);
             HangingTransactionGuard guard = guard(topic, HangingTransactionGuard.Mode.ABORT)) {
            producer.initTransactions();
            int committed = 0;
            // Many short transactions while the guard looks every 100 ms: each one is open at most looks.
            while (guard.looks() < 30) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, committed % 2, "k", "v" + committed));
                producer.send(new ProducerRecord<>(topic, (committed + 1) % 2, "k", "w" + committed));
                producer.commitTransaction();
                committed++;
            }
            assertThat(committed).isPositive();
            assertThat(guard.found()).isZero();
            assertThat(guard.aborted()).isZero();
        }
    }

    private static HangingTransactionGuard guard(String topic, HangingTransactionGuard.Mode mode) {
        Admin admin = admin();
        return HangingTransactionGuard.start(admin, new HangingTransactions(admin, topic::equals, "none"), mode,
            kafka.bootstrapServers(), LOOK_INTERVAL);
    }

    /** A transactional batch from a producer no coordinator knows: nothing will ever write its marker. */
    private static void writeOrphanTransaction(TopicPartition partition, long producerId) throws IOException {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, 0,
            new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "orphan".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
            .setTransactionalId("argus-ghost");
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
            .setName(partition.topic());
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData()
            .setIndex(partition.partition()).setRecords(records));
        data.topicData().add(topicData);
        ProduceRequest request = new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data)
            .build(PRODUCE_VERSION);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "argus-ghost", 1);
        String[] hostPort = kafka.bootstrapServers().split(",")[0].split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            ByteBuffer bytes = request.serializeWithHeader(header);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            ProduceResponse response = (ProduceResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(answer),
                header);
            response.data().responses().forEach(topicAnswer -> topicAnswer.partitionResponses().forEach(p ->
                assertThat(Errors.forCode(p.errorCode())).as("orphan batch written").isEqualTo(Errors.NONE)));
        }
    }

    private static void produceCommitted(String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", value)).get();
        }
    }

    private static List<String> readCommitted(TopicPartition partition, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
            new StringDeserializer())) {
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long deadline = System.nanoTime() + within.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
