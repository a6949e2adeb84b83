package io.argus.bench.fold;

import io.argus.bench.Waits;
import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.Topic;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.ArgusEventDeserializer;
import io.argus.schemas.wire.ArgusEventSerializer;
import io.argus.streams.app.LogOffsets;
import io.argus.teststack.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills an Argus events topic once: creates it with P partitions and the configs Argus gives it, serializes the
 * events with the real {@link ArgusEventSerializer} against the real registry (subject {@code <topic>-value}), then
 * produces the bytes (key = batch_id) with an idempotent acks=all producer and waits for every ack.
 */
public final class EventLog {

    private static final Duration ACK_DEADLINE = Duration.ofMinutes(3);

    private EventLog() {
    }

    /** What filling took, for the log. */
    public record Filled(String topic, int partitions, long records, long serializeMillis, long produceMillis) {
        @Override
        public String toString() {
            return String.format("%s: %d partition(s), %,d records, serialized in %.1f s, produced in %.1f s"
                    + " (%,.0f records/s, acks=all, idempotent)", topic, partitions, records,
                serializeMillis / 1000.0, produceMillis / 1000.0, records * 1000.0 / Math.max(1, produceMillis));
        }
    }

    public static Filled fill(EmbeddedKafkaCluster kafka, String registryUrl, String topicsPrefix, int partitions,
                       List<ArgusEvent> events) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            RegistryClientConfig.URL, registryUrl);
        try (ArgusEventSerializer serializer = new ArgusEventSerializer()) {
            serializer.configure(settings, false);
            Topic<String, ArgusEvent> topic = new ArgusTopics(Serdes.serdeFrom(serializer,
                new ArgusEventDeserializer()), topicsPrefix).events();
            // Argus leaves an existing events topic alone, so this one, with P partitions, is the one it reads.
            kafka.createTopic(topic.name(), partitions, topic.configs());

            long started = System.nanoTime();
            List<byte[]> values = new ArrayList<>(events.size());
            for (ArgusEvent event : events) {
                values.add(serializer.serialize(topic.name(), event));
            }
            long serialized = System.nanoTime();
            produce(kafka.bootstrapServers(), topic.name(), events, values);
            long produced = System.nanoTime();
            checkEndOffsets(kafka, topic.name(), events.size());
            return new Filled(topic.name(), partitions, events.size(), (serialized - started) / 1_000_000,
                (produced - serialized) / 1_000_000);
        }
    }

    private static void produce(String bootstrapServers, String topic, List<ArgusEvent> events, List<byte[]> values) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        LongAdder acked = new LongAdder();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer =
                 new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events.size() && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, events.get(i).getBatchId(), values.get(i)),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        } else {
                            acked.increment();
                        }
                    });
            }
            producer.flush();
            Waits.until("acks for " + events.size() + " records on " + topic, ACK_DEADLINE, () -> {
                if (failure.get() != null) {
                    throw new IllegalStateException("producing to " + topic + " failed", failure.get());
                }
                return acked.sum() == events.size();
            });
        }
    }

    private static void checkEndOffsets(EmbeddedKafkaCluster kafka, String topic, long expected) {
        long total;
        try (Admin admin = kafka.admin()) {
            total = LogOffsets.end(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
        if (total != expected) {
            throw new IllegalStateException(topic + " holds " + total + " records, expected " + expected);
        }
    }
}
