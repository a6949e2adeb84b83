package io.argus.teststack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.argus.embedded.Await;
import io.argus.embedded.SingleNodeKafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real one-node KRaft Kafka cluster (combined broker and controller) inside this JVM, listening on loopback.
 * Its data lives in a fresh directory under the given base directory and is deleted on close.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;
    /** Shared by createTopic; callers of admin() get their own. */
    private final Admin topicAdmin;
    private boolean closed;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
        this.bootstrapServers = kit.bootstrapServers();
        this.topicAdmin = kit.admin();
    }

    /** Formats, starts and waits until the broker is registered and unfenced. */
    public static EmbeddedKafkaCluster start(Path baseDir, Map<String, String> brokerOverrides) {
        long started = System.nanoTime();
        KafkaClusterTestKit kit = build(newDataDirectory(baseDir), brokerOverrides);
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit);
            LOG.debug("Kafka at {} ready in {} ms", cluster.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return cluster;
        } catch (Exception e) {
            closeAfterFailedStart(kit, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the embedded Kafka cluster", e);
        }
    }

    private static KafkaClusterTestKit build(Path dataDir, Map<String, String> brokerOverrides) {
        TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrap())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dataDir)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        SingleNodeKafkaSettings.brokerConfig(brokerOverrides).forEach(builder::setConfigProp);
        try {
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("Could not configure the embedded Kafka cluster", e);
        }
    }

    /**
     * The test kit defaults to the newest, unstable metadata version. Production code runs against released
     * versions, so pin the latest production one and give every production feature its default level there.
     * Turning the unstable flags off without this pin sends the controller into a fatal retry loop.
     */
    private static BootstrapMetadata productionBootstrap() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> featureLevels = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, feature -> feature.defaultLevel(version),
                        (first, second) -> first, TreeMap::new));
        return BootstrapMetadata.fromVersions(version, featureLevels, "argus");
    }

    /** A directory of its own, so two clusters given the same base directory never share log dirs. */
    private static Path newDataDirectory(Path baseDir) {
        try {
            Files.createDirectories(baseDir);
            return Files.createTempDirectory(baseDir, "kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a Kafka data directory under " + baseDir, e);
        }
    }

    private static void closeAfterFailedStart(KafkaClusterTestKit kit, Exception startFailure) {
        try {
            kit.close();
        } catch (Exception closeFailure) {
            startFailure.addSuppressed(closeFailure);
        }
    }

    /** {@code localhost:port} of the broker listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A new admin client for this cluster; the caller closes it. */
    public Admin admin() {
        ensureOpen();
        return kit.admin();
    }

    /**
     * Creates a topic with replication factor 1 and returns once every partition has a leader, so a producer or
     * consumer started right after does not race the metadata propagation.
     */
    public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
        ensureOpen();
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfigs);
        get(topicAdmin.createTopics(List.of(topic)).all(), "create topic " + name);
        Await.condition("all " + partitions + " partitions of topic " + name + " to have a leader",
                TOPIC_READY_TIMEOUT, () -> allPartitionsLed(name, partitions));
    }

    private boolean allPartitionsLed(String topic, int partitions) throws Exception {
        TopicDescription description = topicAdmin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartitionInfo> infos = description.partitions();
        return infos.size() == partitions
                && infos.stream().allMatch(info -> info.leader() != null && !info.leader().isEmpty());
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Keep Kafka's own exception (TopicExistsException, InvalidConfigurationException...) visible to callers.
            if (e.getCause() instanceof KafkaException kafkaException) {
                throw kafkaException;
            }
            throw new IllegalStateException("Could not " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + ADMIN_CALL_TIMEOUT.toMillis() + " ms: " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + what, e);
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The embedded Kafka cluster at " + bootstrapServers + " is closed");
        }
    }

    /**
     * Stops the broker and controller and deletes the data directory. Safe to call more than once and from
     * several threads: the kit's own close is not idempotent, so only the first call reaches it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        topicAdmin.close(Duration.ofSeconds(5));
        try {
            kit.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The kit rethrows faults its broker or controller recorded while running: worth a loud failure.
            throw new IllegalStateException("The embedded Kafka cluster at " + bootstrapServers
                    + " did not shut down cleanly", e);
        }
    }
}
