package io.argus.streams.app;

import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.ArgusEventSerializer;
import io.argus.teststack.SharedTestStack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/** What the fold's tests on the real broker share: a test's own configuration, and a launcher's producer. */
final class FoldOnBroker {

    private FoldOnBroker() {
    }

    /** The fold against the shared broker and registry, with the test's own topics, application id and state. */
    static ArgusConfig config(SharedTestStack stack, String topicsPrefix, String applicationId, Path stateDir) {
        return ArgusConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
            StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
            ArgusConfig.TOPICS_PREFIX, topicsPrefix,
            ArgusConfig.TOPICS_PARTITIONS, "3"));
    }

    /** A producer as a launcher has one: acks=all, idempotent, Argus's Avro serializer with the registry. */
    static KafkaProducer<String, ArgusEvent> producer(SharedTestStack stack) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(RegistryClientConfig.URL, stack.registry().confluentApiUrl());
        Map<String, Object> settings = new HashMap<>();
        config.forEach((key, value) -> settings.put(key.toString(), value));
        ArgusEventSerializer serializer = new ArgusEventSerializer();
        serializer.configure(settings, false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    /** Sends the events keyed by batch, in order, and waits until Kafka has them all. */
    static void send(KafkaProducer<String, ArgusEvent> producer, String topic, List<ArgusEvent> events) {
        events.forEach(event -> producer.send(new ProducerRecord<>(topic, event.getBatchId(), event)));
        producer.flush();
    }

    /** Sends the events keyed by batch to one partition, whatever the key says, as a client of another partitioner. */
    static void sendTo(KafkaProducer<String, ArgusEvent> producer, String topic, int partition,
                       List<ArgusEvent> events) {
        events.forEach(event -> producer.send(new ProducerRecord<>(topic, partition, event.getBatchId(), event)));
        producer.flush();
    }
}
