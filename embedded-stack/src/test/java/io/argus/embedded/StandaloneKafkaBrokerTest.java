package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A broker whose data outlives it: restarts keep records and cluster id; one process per data directory. */
class StandaloneKafkaBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void aRestartOnTheSameDirectoryKeepsTheRecordsAndTheClusterId() throws Exception {
        Path dataDir = newDataDir();
        String topic = "checkpoints";
        String clusterId;
        try (StandaloneKafkaBroker broker = StandaloneKafkaBroker.start(dataDir, FreePorts.loopback())) {
            clusterId = broker.clusterId();
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
                producer.send(new ProducerRecord<>(topic, "run-42", "checkpoint at step 1000")).get();
            }
        }
        assertThat(StandaloneKafkaBroker.clusterIdOf(dataDir.resolve(StandaloneKafkaBroker.LOG_DIR)))
                .contains(clusterId);

        // Another port on purpose: the listener is configuration, the data is the directory.
        try (StandaloneKafkaBroker restarted = StandaloneKafkaBroker.start(dataDir, FreePorts.loopback())) {
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            try (Admin admin = admin(restarted)) {
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            }
            assertThat(readAll(restarted, topic)).extracting(ConsumerRecord::value)
                    .containsExactly("checkpoint at step 1000");
        }
    }

    @Test
    void aSecondStartOnALockedDirectoryFailsFastAndNamesTheOwner() throws Exception {
        Path dataDir = newDataDir();
        try (StandaloneKafkaBroker broker = StandaloneKafkaBroker.start(dataDir, FreePorts.loopback())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> StandaloneKafkaBroker.start(dataDir, FreePorts.loopback()))
                    .isInstanceOf(StandaloneKafkaBroker.DataDirectoryInUseException.class)
                    .hasMessageContaining("already running on " + dataDir.toAbsolutePath().normalize())
                    .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            // The refused start left the running broker alone.
            try (Admin admin = admin(broker)) {
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(broker.clusterId());
            }
        }
        // Released on close: the directory can be used again.
        StandaloneKafkaBroker.start(dataDir, FreePorts.loopback()).close();
    }

    @Test
    void aTakenPortFailsFastNamesThePortAndLeavesTheDirectoryFree() throws Exception {
        Path dataDir = newDataDir();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> StandaloneKafkaBroker.start(dataDir, taken.getLocalPort()))
                    .hasMessageContaining("Port " + taken.getLocalPort() + " on 127.0.0.1 is taken")
                    .hasRootCauseInstanceOf(BindException.class);
        }
        StandaloneKafkaBroker.start(dataDir, FreePorts.loopback()).close();
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        StandaloneKafkaBroker broker = StandaloneKafkaBroker.start(newDataDir(), FreePorts.loopback());
        broker.close();
        broker.close();
        try (ServerSocket socket = new ServerSocket(Integer.parseInt(broker.bootstrapServers().split(":")[1]), 1,
                InetAddress.getLoopbackAddress())) {
            assertThat(socket.isBound()).as("the listener port is free again").isTrue();
        }
    }

    private static Path newDataDir() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "standalone-kafka"));
        return Files.createTempDirectory(base, "data-");
    }

    private static Admin admin(StandaloneKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static Map<String, Object> producerConfig(StandaloneKafkaBroker broker) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    private static List<ConsumerRecord<String, String>> readAll(StandaloneKafkaBroker broker, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), DEADLINE).get(partition);
            assertThat(end).as("records in %s after the restart", topic).isEqualTo(1);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (read.size() < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }
}
