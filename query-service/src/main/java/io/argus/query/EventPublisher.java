package io.argus.query;

import io.argus.schemas.Topic;
import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes events to the log with acks=all and idempotence, keyed by batch id, and returns only once Kafka has
 * acknowledged every one of them.
 */
final class EventPublisher implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Topic<String, ArgusEvent> events;
    private final KafkaProducer<String, ArgusEvent> producer;

    EventPublisher(Properties clientConfig, Topic<String, ArgusEvent> events) {
        this.events = events;
        Properties config = new Properties();
        clientConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key.toString())) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(config, events.keySerde().serializer(), events.valueSerde().serializer());
    }

    /** The event ids, once all are acknowledged; 503 when Kafka does not acknowledge them in time. */
    List<String> publish(List<ArgusEvent> batch) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ArgusEvent event : batch) {
            acks.add(producer.send(new ProducerRecord<>(events.name(), event.getBatchId(), event)));
        }
        producer.flush();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw ApiException.unavailable("Kafka did not accept the events: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Kafka did not acknowledge the events within " + ACK_TIMEOUT.toSeconds()
                + " s; they may still arrive, re-send them with the same event ids");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for Kafka");
        }
        return batch.stream().map(ArgusEvent::getEventId).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
