package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.ArgusEventSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events straight to {@code argus.events}, keyed by batch id, in the Confluent wire format. The producer is
 * idempotent with {@code acks=all}: an acknowledged event is on every in-sync replica, and the producer's own
 * retries never duplicate or reorder it.
 */
final class KafkaTransport implements Transport {

    /** Not negotiable: the durability promise of {@code done()} rests on them. */
    static final Map<String, String> REQUIRED = Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

    private final String topic;
    private final ArgusEventSerializer serializer;
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrap;

    KafkaTransport(Map<String, Object> kafkaSettings, Map<String, Object> serdeSettings, String topic,
                   String clientId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        REQUIRED.forEach((key, value) -> {
            Object asked = settings.put(key, value);
            if (asked != null && !asked.toString().equalsIgnoreCase(value)) {
                LOG.warn("Ignoring {}={}: the Reporter always produces with {}={}", key, asked, key, value);
            }
        });
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.bootstrap = String.valueOf(settings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.serializer = new ArgusEventSerializer();
        serializer.configure(serdeSettings, false);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> send(ArgusEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            // Serialised here rather than by the producer, so that a registry outage fails this event only.
            byte[] value = serializer.serialize(topic, event);
            producer.send(new ProducerRecord<>(topic, event.getBatchId(), value), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(classify(event, error));
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(classify(event, e));
        }
        return acked;
    }

    private static Throwable classify(ArgusEvent event, Throwable error) {
        if (error instanceof RecordTooLargeException || error instanceof InvalidTopicException) {
            return new RejectedEventException("Kafka refused event " + event.getEventId() + ": " + error, error);
        }
        return error;
    }

    @Override
    public String describe() {
        return "Kafka " + bootstrap + " topic " + topic;
    }

    @Override
    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } finally {
            serializer.close();
        }
    }
}
