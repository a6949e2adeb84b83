package io.argus.streams.bench;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import io.argus.embedded.EmbeddedKafkaCluster;
import io.argus.registry.RegistryClientConfig;
import io.argus.streams.app.ArgusConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The bench's own Kafka (in this JVM) and Apicurio Registry (a child JVM), with a work directory for the apps' state.
 * Closing stops both and deletes the state; the registry's log stays in {@code <workDir>/registry}.
 */
final class BenchStack implements AutoCloseable {

    private final EmbeddedKafkaCluster kafka;
    private final ApicurioRegistry registry;
    private final Path workDir;
    private int apps;

    private BenchStack(EmbeddedKafkaCluster kafka, ApicurioRegistry registry, Path workDir) {
        this.kafka = kafka;
        this.registry = registry;
        this.workDir = workDir;
    }

    /** Fails with what to do when the registry distribution is not configured. */
    static BenchStack start(ApicurioDistribution distribution, Path workDir) {
        ApicurioRegistry registry = ApicurioRegistry.start(distribution, workDir.resolve("registry"));
        try {
            return new BenchStack(EmbeddedKafkaCluster.start(workDir.resolve("kafka"), Map.of()), registry, workDir);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    String registryUrl() {
        return registry.confluentApiUrl();
    }

    /**
     * The configuration of one app run: Argus's defaults (exactly_once_v2) with this stack, a fresh application id and
     * state directory, and the topics prefix. The bare count runs with the same Kafka settings.
     */
    ArgusConfig appConfig(String name, String topicsPrefix, int partitions) {
        String applicationId = "bench-" + (++apps) + "-" + name;
        return defaults().with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            RegistryClientConfig.URL, registry.confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
            StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").resolve(applicationId).toString(),
            StreamsConfig.REPLICATION_FACTOR_CONFIG, "1",
            ArgusConfig.TOPICS_PREFIX, topicsPrefix,
            ArgusConfig.TOPICS_PARTITIONS, Integer.toString(partitions)));
    }

    /** Argus's built-in defaults, without the environment: the runs do not depend on the shell they start from. */
    static ArgusConfig defaults() {
        return ArgusConfig.load(Optional.empty(), Map.of());
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
            deleteTree(workDir.resolve("state"));
        }
    }

    /** Deletes a closed app's state directory (KafkaStreams#cleanUp warns that it cannot remove the last level). */
    static void deleteState(ArgusConfig config) {
        deleteTree(Path.of(config.get(StreamsConfig.STATE_DIR_CONFIG)));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
