package io.argus.streams.app;

import io.argus.streams.topology.EventPlacement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds, before a rebuild, which misplaced events of the log already have a re-routed copy, so the rebuild does not
 * copy them again and the log does not grow with every rebuild.
 *
 * <p>Every fold reads a partition from its start, in order, and writes a misplaced event's copy (with an
 * {@value EventPlacement#REROUTED_FROM}{@code : partition:offset} header) in the transaction that consumes the event. So once a copy
 * of the event at offset {@code o} of partition {@code p} is in the log, the fold that wrote it has copied every
 * misplaced event of {@code p} before {@code o} too: one number per partition, the highest such {@code o} plus
 * one, says which originals a rebuild can pass over. Originals after it (a fold that had not reached them, or
 * whose copies are not committed yet) are re-routed by the rebuild as a running fold would.
 */
final class ReroutedCopies {

    private static final Duration POLL = Duration.ofMillis(500);

    private ReroutedCopies() {
    }

    /**
     * Reads the committed part of {@code topic} once and returns, per partition, the offset below which every
     * misplaced event has its copy; a partition none of whose events was copied is absent.
     */
    static Map<Integer, Long> in(Admin admin, Properties clientProperties, String topic, Duration timeout)
        throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> end = committedEnd(admin, topic);
        Properties config = new Properties();
        clientProperties.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key.toString())) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<Integer, Long> copiedBelow = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> unread = end.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey).collect(Collectors.toList());
            consumer.assign(unread);
            consumer.seekToBeginning(unread);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!unread.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " for re-routed copies within "
                        + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Header header = record.headers().lastHeader(EventPlacement.REROUTED_FROM);
                    if (header != null) {
                        note(copiedBelow, new String(header.value(), StandardCharsets.UTF_8), record.partition());
                    }
                }
                unread.removeIf(partition -> consumer.position(partition) >= end.get(partition));
                consumer.assign(unread);
            }
        }
        return copiedBelow;
    }

    /** Counts a copy's origin {@code partition:offset}; one that does not read as another partition's is ignored. */
    static void note(Map<Integer, Long> copiedBelow, String origin, int copyPartition) {
        String[] parts = origin.split(":", -1);
        try {
            int partition = Integer.parseInt(parts[0]);
            long offset = Long.parseLong(parts[1]);
            if (parts.length == 2 && partition != copyPartition && partition >= 0 && offset >= 0) {
                copiedBelow.merge(partition, offset + 1, Math::max);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // Not a header Argus wrote: it says nothing about copies.
        }
    }

    /** The last stable offsets: a copy in a transaction still open is not counted, so its original is re-routed. */
    private static Map<TopicPartition, Long> committedEnd(Admin admin, String topic)
        throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> latest = LogOffsets.end(admin, topic);
        Map<TopicPartition, OffsetSpec> request = latest.keySet().stream()
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
            .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
