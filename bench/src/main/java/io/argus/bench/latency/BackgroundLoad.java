package io.argus.bench.latency;

import io.argus.bench.BenchContext;
import io.argus.bench.Waits;
import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Other launchers at work: a thread producing a realistic event mix at a steady rate, into batches of its own,
 * until closed. The mix is replayed as often as needed, each pass under new batch and event ids, so the fold
 * applies every event instead of skipping it as a duplicate.
 */
final class BackgroundLoad implements AutoCloseable {

    /** No load runs longer than this, whatever happens to the caller. */
    private static final Duration LONGEST = Duration.ofMinutes(5);

    private final KafkaProducer<String, ArgusEvent> producer;
    private final String topic;
    private final List<ArgusEvent> mix;
    private final String tag;
    private final int perSecond;
    private final LongAdder acked = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile double achievedPerSecond;

    private BackgroundLoad(KafkaProducer<String, ArgusEvent> producer, String topic, List<ArgusEvent> mix,
                           String tag, int perSecond) {
        this.producer = producer;
        this.topic = topic;
        this.mix = mix;
        this.tag = tag;
        this.perSecond = perSecond;
        this.thread = new Thread(this::produce, "bench-background-load");
        thread.setDaemon(true);
    }

    /**
     * Starts producing {@code mix} at {@code perSecond} and returns once a second's worth is acknowledged.
     *
     * @param tag put before every batch and event id, unique per load
     */
    static BackgroundLoad start(BenchContext context, String topic, List<ArgusEvent> mix, String tag,
                                int perSecond) {
        // linger.ms=5, Kafka's default: many launchers' events, batched as a shared producer would.
        BackgroundLoad load = new BackgroundLoad(EventProducers.open(context, "bench-background-load", 5), topic,
            mix, tag, perSecond);
        load.thread.start();
        try {
            Waits.until("the background load to get going", Duration.ofSeconds(30), () -> {
                load.throwIfFailed();
                return load.acked.sum() >= perSecond;
            });
        } catch (RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    /** Sends what is due every millisecond, so the rate holds without bursts of a second's worth. */
    private void produce() {
        long started = System.nanoTime();
        long sent = 0;
        try {
            while (!stopping && failure.get() == null && System.nanoTime() - started < LONGEST.toNanos()) {
                long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
                for (; sent < due && !stopping; sent++) {
                    producer.send(record(sent), (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        } else {
                            acked.increment();
                        }
                    });
                }
                Waits.sleep(1);
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        achievedPerSecond = sent * 1e9 / (System.nanoTime() - started);
    }

    private ProducerRecord<String, ArgusEvent> record(long sequence) {
        ArgusEvent original = mix.get((int) (sequence % mix.size()));
        String pass = tag + "-p" + sequence / mix.size() + "-";
        // The constructor, not newBuilder(original): that deep-copies the payload, which costs CPU the fold needs.
        ArgusEvent event = new ArgusEvent(pass + original.getEventId(), pass + original.getBatchId(),
            original.getTs(), original.getProducer(), original.getPayload());
        return new ProducerRecord<>(topic, event.getBatchId(), event);
    }

    /** The rate it produced at, from its start until closed. */
    double achievedPerSecond() {
        return achievedPerSecond;
    }

    private void throwIfFailed() {
        if (failure.get() != null) {
            throw new IllegalStateException("the background load failed", failure.get());
        }
    }

    /** Stops producing, waits for the acks of what was sent, and fails if any send did. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        throwIfFailed();
    }
}
