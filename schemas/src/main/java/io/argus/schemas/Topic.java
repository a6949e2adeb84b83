package io.argus.schemas;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its keys and values and the topic configs it must be created with.
 *
 * @param name    the topic name
 * @param keySerde    how keys are written
 * @param valueSerde  how values are written
 * @param configs the topic-level configs (retention, cleanup policy) it is created with
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    /** The request that creates this topic; a replication factor of empty takes the broker default. */
    public NewTopic newTopic(int partitions, Optional<Short> replicationFactor) {
        return new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
    }
}
