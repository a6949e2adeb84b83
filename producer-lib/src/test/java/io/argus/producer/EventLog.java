package io.argus.producer;

import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.ArgusEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what really reached a topic, the way the fold does: the Confluent wire format through the registry. */
final class EventLog {

    private final String bootstrap;
    private final String registryUrl;
    private final String topic;

    EventLog(String bootstrap, String registryUrl, String topic) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.topic = topic;
    }

    /** Every event of the batch in the topic right now, in log order (one batch is one partition). */
    List<ArgusEvent> read(String batchId) {
        Map<String, Object> settings = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "event-log-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ArgusEventDeserializer deserializer = new ArgusEventDeserializer();
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        try (KafkaConsumer<String, ArgusEvent> consumer =
                 new KafkaConsumer<>(settings, new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ArgusEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 20 s");
                }
                for (ConsumerRecord<String, ArgusEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (batchId.equals(record.key())) {
                        events.add(record.value());
                    }
                }
            }
            return events;
        }
    }

    /** The wire names of the events, in order, for compact assertions. */
    static List<String> types(List<ArgusEvent> events) {
        return events.stream().map(EventLog::type).collect(Collectors.toList());
    }

    static String type(ArgusEvent event) {
        return EventType.ofPayload(event.getPayload()).orElseThrow().wireName();
    }
}
