package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How events reach the backend: Kafka directly ({@link KafkaTransport}) or the query service's ingest endpoint
 * ({@link HttpTransport}). Ordering, the spool and retries live in {@link Outbox}, the same for both.
 */
interface Transport {

    /**
     * Hands one event over without blocking longer than the transport's own bound. The future completes when the
     * backend holds the event durably; it fails with {@link RejectedEventException} when the backend refuses the
     * event for good, and with anything else when it may take it later.
     */
    CompletableFuture<Void> send(ArgusEvent event);

    /** Where events go, for log lines. */
    String describe();

    /** Waits up to {@code timeout} for events in flight, then stops. */
    void close(Duration timeout);
}
