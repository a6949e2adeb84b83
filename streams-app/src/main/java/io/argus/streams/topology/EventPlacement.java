package io.argus.streams.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the event log owns a batch, and which misplaced events already have a re-routed copy in it.
 *
 * <p>A batch is owned by the partition Kafka's Java producer picks for its key (murmur2, as
 * {@code BuiltInPartitioner} does for keyed records): the query service routes reads there. Clients built on
 * librdkafka hash keys with CRC32 by default, so their events can land elsewhere; the fold re-routes those
 * ({@link FoldProcessor}).
 *
 * @param partitions the number of partitions of the event log
 * @param copiedBelow for a partition, the offset below which every misplaced event already has a re-routed copy in
 *                    the log: a rebuild learns it from the log ({@code ReroutedCopies}) and does not copy them again
 */
public record EventPlacement(int partitions, Map<Integer, Long> copiedBelow) {

    /** On a re-routed copy: {@code partition:offset} of the misplaced original. */
    public static final String REROUTED_FROM = "argus.rerouted-from";

    public EventPlacement {
        if (partitions < 1) {
            throw new IllegalArgumentException("the event log needs at least one partition, got " + partitions);
        }
        copiedBelow = Map.copyOf(copiedBelow);
    }

    /** Every misplaced event is re-routed: what a running fold does. */
    public static EventPlacement rerouteAll(int partitions) {
        return new EventPlacement(partitions, Map.of());
    }

    /** The partition that owns {@code key}, the same one the query service routes its reads to. */
    public int owner(String key) {
        return owner(key, partitions);
    }

    static int owner(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Whether the misplaced event at this position already has a copy on its owner partition. */
    boolean alreadyCopied(int partition, long offset) {
        return offset < copiedBelow.getOrDefault(partition, 0L);
    }
}
