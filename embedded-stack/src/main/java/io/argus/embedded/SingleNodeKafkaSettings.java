package io.argus.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a one-node combined broker/controller needs to behave like a small production cluster: the local Argus's
 * {@link StandaloneKafkaBroker} and the test stack's in-JVM cluster start from the same settings.
 */
public final class SingleNodeKafkaSettings {

    private SingleNodeKafkaSettings() {
    }

    /** Defaults first, then the caller's overrides. */
    public static Map<String, String> brokerConfig(Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        // One broker: every internal topic must have replication factor 1, or consumers, transactions and
        // Streams wait (20 s seen) on INVALID_REPLICATION_FACTOR.
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("min.insync.replicas", "1");
        config.put("default.replication.factor", "1");
        // A lone consumer or Streams instance should not wait for group members that will never come.
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        // Tests create their topics explicitly; a typo must fail, not create a topic silently.
        config.put("auto.create.topics.enable", "false");
        config.putAll(overrides);
        return config;
    }
}
