package io.argus.bench.latency;

import io.argus.bench.Waits;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.TestEvents;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Measures freshness one job at a time: publishes a job's {@code job_start} and {@code job_done}, notes when Kafka
 * acknowledges the {@code job_done}, and polls the job's view until it shows {@code done}.
 */
final class FreshnessProbe implements AutoCloseable {

    private static final Duration SAMPLE_DEADLINE = Duration.ofSeconds(10);
    static final long POLL_MILLIS = 5;

    private final KafkaProducer<String, ArgusEvent> producer;
    private final String topic;
    private final JobViews views;
    // The reader of the view runs apart from the publisher, as a dashboard user would, polling while the ack is
    // still in flight.
    private final ExecutorService poller = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-freshness-poller");
        thread.setDaemon(true);
        return thread;
    });

    FreshnessProbe(KafkaProducer<String, ArgusEvent> producer, String topic, JobViews views) {
        this.producer = producer;
        this.topic = topic;
        this.views = views;
    }

    /**
     * Opens the batch, waits until it is visible, then takes one sample every {@code 1 / perSecond} seconds (or
     * right after the previous one, when that took longer).
     *
     * @return the freshness of each sample, in nanoseconds
     */
    long[] measure(String batchId, int samples, int perSecond) throws Exception {
        TestEvents events = new TestEvents(batchId);
        producer.send(record(events.batchStart(0, samples))).get(SAMPLE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        Waits.until("batch " + batchId + " to be visible", SAMPLE_DEADLINE, POLL_MILLIS,
            () -> views.batchVisible(batchId));
        long[] freshness = new long[samples];
        long intervalNanos = 1_000_000_000L / perSecond;
        long started = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            Waits.sleep(Math.max(0, (started + i * intervalNanos - System.nanoTime()) / 1_000_000));
            freshness[i] = sample(events, batchId, String.format(Locale.ROOT, "probe/job-%05d", i), i);
        }
        return freshness;
    }

    private long sample(TestEvents events, String batchId, String jobId, int second) throws InterruptedException {
        CompletableFuture<Long> acked = new CompletableFuture<>();
        Callback failOnly = (metadata, exception) -> {
            if (exception != null) {
                acked.completeExceptionally(exception);
            }
        };
        producer.send(record(events.jobStart(second, jobId, 1)), failOnly);
        producer.send(record(events.jobDone(second, jobId, 1)), (metadata, exception) -> {
            if (exception != null) {
                acked.completeExceptionally(exception);
            } else {
                acked.complete(System.nanoTime());
            }
        });
        long deadline = System.nanoTime() + SAMPLE_DEADLINE.toNanos();
        Future<Long> visible = poller.submit(() -> awaitDone(batchId, jobId, deadline));
        try {
            long ackedAt = await(acked, SAMPLE_DEADLINE.toMillis(), "the ack of " + jobId);
            // The poller stops at its deadline; the margin covers its last request's timeout.
            long visibleAt = await(visible, SAMPLE_DEADLINE.toMillis() + 5_000, jobId + " shown done");
            return visibleAt - ackedAt;
        } finally {
            visible.cancel(true);
        }
    }

    private static long await(Future<Long> future, long timeoutMillis, String what) throws InterruptedException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + what + " failed: " + e.getCause().getMessage(),
                e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + timeoutMillis + " ms", e);
        }
    }

    /** When the view first showed the job done. */
    private long awaitDone(String batchId, String jobId, long deadline) {
        while (System.nanoTime() - deadline < 0) {
            if (views.jobStatus(batchId, jobId).filter("done"::equals).isPresent()) {
                return System.nanoTime();
            }
            Waits.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("job " + jobId + " of batch " + batchId + " not shown done within "
            + SAMPLE_DEADLINE.toSeconds() + " s");
    }

    private ProducerRecord<String, ArgusEvent> record(ArgusEvent event) {
        return new ProducerRecord<>(topic, event.getBatchId(), event);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        producer.close(Duration.ofSeconds(30));
    }
}
