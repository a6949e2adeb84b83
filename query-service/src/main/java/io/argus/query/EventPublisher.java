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
import org.apache.kafka.common.KafkaException;

/**
 * Publishes events to the log with acks=all and idempotence, keyed by batch id, and returns only once Kafka has
 * acknowledged every one of them.
 */
final class EventPublisher implements AutoCloseable {

    private final Topic<String, ArgusEvent> events;
    private final KafkaProducer<String, ArgusEvent> producer;
    private final Duration ackTimeout;
    private final Duration closeTimeout;

    /**
     * @param ackTimeout how long a request waits for Kafka's acknowledgements before it answers 503
     * @param closeTimeout how long closing waits for events still on their way to Kafka
     */
    EventPublisher(Properties clientConfig, Topic<String, ArgusEvent> events, Duration ackTimeout,
                   Duration closeTimeout) {
        this.events = events;
        this.ackTimeout = ackTimeout;
        this.closeTimeout = closeTimeout;
        Properties config = new Properties();
        clientConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key.toString())) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // send() blocks while it has no metadata for the topic (the broker is away): not longer than a request waits.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackTimeout.toMillis()));
        this.producer = new KafkaProducer<>(config, events.keySerde().serializer(), events.valueSerde().serializer());
    }

    /**
     * Returns once Kafka has acknowledged every event; 503 when it does not in time, or when an event cannot be
     * sent at all (the registry does not answer the serializer, the producer is closed). Each event is in the log
     * whole or not at all, but a 503 may leave some of a request's events there.
     */
    void publish(List<ArgusEvent> batch) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try {
            for (ArgusEvent event : batch) {
                acks.add(producer.send(new ProducerRecord<>(events.name(), event.getBatchId(), event)));
            }
        } catch (KafkaException e) {
            throw ApiException.unavailable("the events could not be sent to Kafka: " + e.getMessage());
        }
        // No flush(): with linger.ms=0 the records are on their way, and flush() would also wait, without a deadline,
        // for every other request's records.
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw ApiException.unavailable("Kafka did not accept the events: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Kafka did not acknowledge the events within " + ackTimeout.toMillis()
                + " ms; they may still arrive, re-send them with the same event ids");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for Kafka");
        }
    }

    @Override
    public void close() {
        producer.close(closeTimeout);
    }
}
