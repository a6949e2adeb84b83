package io.argus.streams.app;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.wire.ArgusEventSerde;
import io.argus.schemas.wire.SerdeSettings;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.EventPlacement;
import io.argus.streams.topology.FoldCounters;
import io.argus.streams.topology.MemoryBudget;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold running against a real cluster: wires the configuration, the registry client, the topics and the
 * topology to a {@link KafkaStreams} instance. The query service embeds this; the command line runs it alone.
 */
public final class ArgusStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArgusStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The commit interval unless one is configured (a rebuild sets its own). HTTP reads see the fold's state before
     * it commits, so this does not delay them; 500 ms folded 28% faster than exactly-once's 100 ms with the same
     * freshness (docs/benchmarks.md). It delays views on argus.batch-views by up to this much, and a crash redoes up
     * to this much work.
     */
    static final String COMMIT_INTERVAL_MS = "500";

    private final ArgusConfig config;
    private final SchemaRegistryClient registry;
    private final ArgusTopics topics;
    private final FoldCounters counters = new FoldCounters();
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    private ArgusStreams(ArgusConfig config, Map<Integer, Long> copiedBelow) {
        // A bad budget is a configuration mistake: say so here, not later in every stream thread.
        BoundedRocksDbMemory.budget(config.asMap());
        this.config = config;
        this.registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(config.registrySettings()));
        this.topics = new ArgusTopics(new ArgusEventSerde(registry, SerdeSettings.defaults()),
            config.get(ArgusConfig.TOPICS_PREFIX));
        int eventPartitions;
        try (Admin admin = Admin.create(adminProperties(config))) {
            TopicSetup.ensure(admin, topics, config.getInt(ArgusConfig.TOPICS_PARTITIONS),
                (short) config.getInt(ArgusConfig.TOPICS_REPLICATION_FACTOR));
            TopicSetup.requireKeptForever(admin, topics.events().name());
            eventPartitions = TopicSetup.partitions(admin, topics.events().name());
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        Topology topology = ArgusTopology.build(topics, topics.events().valueSerde().deserializer(), counters,
            Duration.ofMillis(config.getLong(ArgusConfig.VIEWS_INTERVAL_MS)),
            new MemoryBudget(config.getLong(ArgusConfig.FOLD_CACHE_MAX_BYTES)),
            new EventPlacement(eventPartitions, copiedBelow));
        Properties properties = config.streamsProperties();
        properties.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(10, Duration.ofMinutes(10), System::nanoTime));
        streams.setStateListener((next, previous) -> {
            LOG.info("Kafka Streams {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    /** Creates missing topics, then starts the topology; every misplaced event it meets is re-routed. */
    public static ArgusStreams start(ArgusConfig config) {
        return start(config, Map.of());
    }

    /**
     * Creates missing topics, then starts the topology; a misplaced event below {@code copiedBelow} of its partition
     * is known to have its re-routed copy in the log already and is passed over ({@link ReroutedCopies}).
     */
    static ArgusStreams start(ArgusConfig config, Map<Integer, Long> copiedBelow) {
        ArgusStreams app = new ArgusStreams(config, copiedBelow);
        LOG.info("Starting application {} on {} (state in {})", config.get(StreamsConfig.APPLICATION_ID_CONFIG),
            config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG), config.get(StreamsConfig.STATE_DIR_CONFIG));
        app.streams.start();
        return app;
    }

    /** Waits until Kafka Streams first reaches RUNNING; false when the deadline passes first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ArgusTopics topics() {
        return topics;
    }

    public FoldCounters counters() {
        return counters;
    }

    public ArgusConfig config() {
        return config;
    }

    /** Leaves the consumer group, so the partitions move to other instances at once, not after a session timeout. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
        registry.close();
    }

    static Properties adminProperties(ArgusConfig config) {
        Properties admin = new Properties();
        config.streamsProperties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key.toString())) {
                admin.put(key, value);
            }
        });
        return admin;
    }
}
