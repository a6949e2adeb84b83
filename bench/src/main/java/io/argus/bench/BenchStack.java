package io.argus.bench;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import io.argus.teststack.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bench's Kafka (a real one-node KRaft broker in this JVM) and Apicurio Registry (a child JVM). Everything the
 * bench measures runs against these two, in processes of its own.
 */
public final class BenchStack implements AutoCloseable {

    private final EmbeddedKafkaCluster kafka;
    private final ApicurioRegistry registry;

    private BenchStack(EmbeddedKafkaCluster kafka, ApicurioRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Fails with what to do when the registry distribution is not configured. */
    public static BenchStack start(Path workDir) {
        ApicurioDistribution distribution;
        try {
            distribution = ApicurioDistribution.locate();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the bench needs an unpacked Apicurio Registry: run it as README says "
                + "(mvn ... -Pbench verify), or pass -D" + ApicurioDistribution.HOME_PROPERTY + "=... or set "
                + ApicurioDistribution.HOME_ENV + ": " + e.getMessage(), e);
        }
        ApicurioRegistry registry = ApicurioRegistry.start(distribution, workDir.resolve("registry"));
        try {
            return new BenchStack(EmbeddedKafkaCluster.start(workDir.resolve("kafka"), Map.of()), registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.confluentApiUrl();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
