package io.argus.query;

import io.argus.streams.state.HistoryRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads events of the log by their place in it, for history and time travel: the history index says where a
 * batch's events are, and this fetches them. Consumers are pooled (one per concurrent read, up to a few) and read
 * committed records only, as the fold does. A batch's events are close together in its partition, so a read seeks
 * once and polls forward, seeking again only across a wide gap (other batches' events).
 */
final class EventLogReader implements AutoCloseable {

    /** Consumers kept for reuse; a read beyond them waits for one. */
    private static final int POOL_SIZE = 4;
    /** A gap (in offsets) wider than this is skipped with a seek instead of read through. */
    private static final long SEEK_GAP = 2_000;

    private final String topic;
    private final Properties consumerConfig;
    private final Duration timeout;
    private final BlockingQueue<KafkaConsumer<byte[], byte[]>> idle = new ArrayBlockingQueue<>(POOL_SIZE);
    private final List<KafkaConsumer<byte[], byte[]>> all = new ArrayList<>();

    EventLogReader(Properties clientConfig, String topic, Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        this.consumerConfig = new Properties();
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key.toString())) {
                consumerConfig.put(key, value);
            }
        });
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    }

    /** The record values at the given places, in the order given. */
    List<byte[]> read(List<HistoryRef> places) {
        if (places.isEmpty()) {
            return List.of();
        }
        KafkaConsumer<byte[], byte[]> consumer = borrow();
        try {
            Map<Long, byte[]> found = new HashMap<>();
            Map<Integer, List<Long>> byPartition = new HashMap<>();
            places.forEach(p -> byPartition.computeIfAbsent(p.getPartition(), k -> new ArrayList<>()).add(p.getOffset()));
            byPartition.forEach((partition, offsets) -> readPartition(consumer, partition, offsets, found));
            List<byte[]> values = new ArrayList<>(places.size());
            for (HistoryRef place : places) {
                values.add(found.get(key(place.getPartition(), place.getOffset())));
            }
            return values;
        } finally {
            idle.offer(consumer);
        }
    }

    private void readPartition(KafkaConsumer<byte[], byte[]> consumer, int partition, List<Long> offsets,
                               Map<Long, byte[]> found) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        List<Long> wanted = offsets.stream().sorted().distinct().toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        consumer.seek(tp, wanted.get(0));
        while (next < wanted.size()) {
            if (System.nanoTime() > deadline) {
                throw ApiException.unavailable("could not read the event log (" + topic + "-" + partition + " at "
                    + wanted.get(next) + ") within " + timeout.toMillis() + " ms");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (next < wanted.size() && wanted.get(next) < record.offset()) {
                    // The index points only at committed records: one missing means the log lost it.
                    throw new IllegalStateException("the event log has no committed record at " + topic + "-"
                        + partition + "@" + wanted.get(next) + ": was it compacted or truncated?");
                }
                if (next < wanted.size() && wanted.get(next) == record.offset()) {
                    found.put(key(partition, record.offset()), record.value());
                    next++;
                }
            }
            if (next < wanted.size() && wanted.get(next) - consumer.position(tp) > SEEK_GAP) {
                consumer.seek(tp, wanted.get(next));
            }
        }
    }

    private static long key(int partition, long offset) {
        // Partitions and offsets of one topic never collide in practice here: offsets stay below 2^48.
        return ((long) partition << 48) | offset;
    }

    private KafkaConsumer<byte[], byte[]> borrow() {
        KafkaConsumer<byte[], byte[]> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        synchronized (all) {
            if (all.size() < POOL_SIZE) {
                KafkaConsumer<byte[], byte[]> created =
                    new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                all.add(created);
                return created;
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting to read the event log");
        }
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(KafkaConsumer::close);
            all.clear();
        }
    }
}
