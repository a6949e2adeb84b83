package io.argus.streams.app;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A digest of one state store of one application, read from its changelog topic: the latest value of every key,
 * in key order, through SHA-256. Two applications that folded the same log hold byte-identical stores exactly when
 * their digests match. Reading the changelog works from anywhere, without access to the instances' disks.
 */
public final class StoreDigest {

    /** The digest of one store: hex SHA-256 and how many keys it covers. */
    public record Digest(String store, String sha256, long keys) {
    }

    private StoreDigest() {
    }

    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** Reads the store's changelog to its end (committed records only). */
    public static Digest of(Properties clientConfig, String applicationId, String store, Duration timeout) {
        String topic = changelogTopic(applicationId, store);
        Properties config = new Properties();
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key.toString())) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        TreeMap<ByteBuffer, byte[]> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("no changelog topic " + topic + ": is the application id right?");
            }
            List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(ByteBuffer.wrap(record.key()));
                    } else {
                        latest.put(ByteBuffer.wrap(record.key()), record.value());
                    }
                }
            }
        }
        return new Digest(store, sha256(latest), latest.size());
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static String sha256(TreeMap<ByteBuffer, byte[]> entries) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        ByteBuffer lengths = ByteBuffer.allocate(2 * Integer.BYTES);
        entries.forEach((key, value) -> {
            byte[] keyBytes = Arrays.copyOfRange(key.array(), key.arrayOffset(), key.arrayOffset() + key.limit());
            // Length-prefixed, so that no two different stores can produce the same byte stream.
            lengths.clear();
            lengths.putInt(keyBytes.length).putInt(value.length);
            digest.update(lengths.array());
            digest.update(keyBytes);
            digest.update(value);
        });
        return HexFormat.of().formatHex(digest.digest());
    }
}
