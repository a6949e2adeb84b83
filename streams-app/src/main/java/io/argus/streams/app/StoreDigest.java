package io.argus.streams.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A digest of one state store of one application, read from its changelog topic as it streams by
 * ({@link ChangelogDigest}: the latest value of every key, whatever the order of the records). Two applications hold
 * identical stores exactly when their digests and key counts match (with overwhelming probability). Reading the
 * changelog works from anywhere, without access to the instances' disks.
 */
public final class StoreDigest {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    /** The digest of one store: 64 hex digits and how many keys it covers. */
    public record Digest(String store, String hex, long keys) {
    }

    private StoreDigest() {
    }

    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** Reads the store's changelog to its end (committed records only), telling {@code progress} how far it got. */
    public static Digest of(Properties clientConfig, String applicationId, String store, Duration timeout,
                            PrintStream progress) {
        String topic = changelogTopic(applicationId, store);
        ChangelogDigest digest = new ChangelogDigest();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(clientConfig),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = partitionsOf(consumer, topic, clientConfig);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("no changelog topic " + topic + ": is the application id right?");
            }
            List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(assigned, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long total = sum(end) - sum(start);
            progress.printf(Locale.ROOT, "reading %s: %d records%n", topic, total);
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    digest.apply(record.key(), record.value());
                }
                if (System.nanoTime() > nextReport) {
                    long read = assigned.stream().mapToLong(p -> consumer.position(p) - start.get(p)).sum();
                    progress.printf(Locale.ROOT, "reading %s: %d of %d records%n", topic, read, total);
                    nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
            }
        }
        return new Digest(store, digest.hex(), digest.keys());
    }

    /** The first call to Kafka, so it says which Kafka did not answer. */
    private static List<PartitionInfo> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic,
                                                    Properties clientConfig) {
        try {
            return consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " did not answer within " + METADATA_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** The consumer settings of the client configuration, reading committed records, never creating a topic. */
    private static Properties consumerConfig(Properties clientConfig) {
        Properties config = new Properties();
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key.toString())) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
