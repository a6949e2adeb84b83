package io.argus.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealKafkaAndRegistry.class)
class KafkaRoundTripTest {

    private final EmbeddedKafkaCluster kafka;

    KafkaRoundTripTest(EmbeddedKafkaCluster kafka) {
        this.kafka = kafka;
    }

    @Test
    void aRecordProducedToAFreshTopicIsConsumedBack() throws Exception {
        String topic = TestNames.unique("round-trip");
        kafka.createTopic(topic, 1, Map.of());

        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            written = producer.send(new ProducerRecord<>(topic, "run-42", "checkpoint at step 1000")).get();
        }
        assertThat(written.offset()).isZero();

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                        return !read.isEmpty();
                    });
        }
        assertThat(read).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("run-42");
            assertThat(record.value()).isEqualTo("checkpoint at step 1000");
            assertThat(record.offset()).isEqualTo(written.offset());
        });
    }

    @Test
    void createTopicReturnsOnceEveryPartitionHasALeader() throws Exception {
        String topic = TestNames.unique("three-partitions");

        kafka.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));

        try (Admin admin = kafka.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(3)
                    .allSatisfy(partition -> assertThat(partition.leader().isEmpty()).isFalse());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void creatingAnExistingTopicFailsWithKafkasOwnError() {
        String topic = TestNames.unique("twice");
        kafka.createTopic(topic, 1, Map.of());

        assertThatThrownBy(() -> kafka.createTopic(topic, 1, Map.of())).isInstanceOf(TopicExistsException.class);
    }

    @Test
    void theClusterRunsTheLatestProductionMetadataVersion() throws Exception {
        try (Admin admin = kafka.admin()) {
            FinalizedVersionRange metadataVersion = admin.describeFeatures().featureMetadata().get()
                    .finalizedFeatures().get(MetadataVersion.FEATURE_NAME);

            assertThat(metadataVersion.maxVersionLevel()).isEqualTo(MetadataVersion.latestProduction().featureLevel());
        }
    }

    @Test
    void topicsAreNotCreatedImplicitly() throws Exception {
        String topic = TestNames.unique("never-created");
        Properties config = producerConfig();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_500);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // Asking for metadata is what auto-creation reacts to; with it off the request times out.
            assertThatThrownBy(() -> producer.partitionsFor(topic)).hasMessageContaining(topic);
        }
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }
}
