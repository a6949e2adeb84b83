package io.argus.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/** What a one-node combined broker/controller needs to behave like a small production cluster. */
final class SingleNodeKafkaSettings {

    private SingleNodeKafkaSettings() {
    }

    /**
     * The test kit defaults to the newest, unstable metadata version. Production code runs against released
     * versions, so pin the latest production one and give every production feature its default level there.
     * Turning the unstable flags off without this pin sends the controller into a fatal retry loop.
     */
    static BootstrapMetadata productionBootstrap() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> featureLevels = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, feature -> feature.defaultLevel(version),
                        (first, second) -> first, TreeMap::new));
        return BootstrapMetadata.fromVersions(version, featureLevels, "argus");
    }

    /** Defaults first, then the caller's overrides. */
    static Map<String, String> brokerConfig(Map<String, String> overrides) {
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
