package io.argus.streams.app;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.Topic;
import io.argus.schemas.wire.ArgusEventSerde;
import io.argus.schemas.wire.SerdeSettings;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.BatchChanges;
import io.argus.streams.topology.EventPlacement;
import io.argus.streams.topology.FoldCounters;
import io.argus.streams.topology.MemoryBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
    /** The main consumer's fetch settings the fold defaults ({@link ArgusConfig}, with why). */
    private static final List<String> FETCH_KEYS = List.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    /** What Kafka Streams gives its producers' {@code transaction.timeout.ms} under exactly-once. */
    private static final long STREAMS_TRANSACTION_TIMEOUT_MS = 10_000;

    private final ArgusConfig config;
    private final SchemaRegistryClient registry;
    private final ArgusTopics topics;
    private final FoldCounters counters = new FoldCounters();
    private final BatchChanges changes = new BatchChanges();
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private HangingTransactionGuard hangingTransactions;

    private ArgusStreams(ArgusConfig config, Map<Integer, Long> copiedBelow) {
        // A bad budget is a configuration mistake: say so here, not later in every stream thread.
        BoundedRocksDbMemory.budget(config.asMap());
        this.config = config;
        this.registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(registrySettingsWithin(config)));
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
            changes, Duration.ofMillis(config.getLong(ArgusConfig.VIEWS_INTERVAL_MS)),
            new MemoryBudget(config.getLong(ArgusConfig.FOLD_CACHE_MAX_BYTES)),
            new EventPlacement(eventPartitions, copiedBelow));
        this.streams = new KafkaStreams(topology, streamsProperties(config));
        streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(config.getInt(ArgusConfig.THREAD_FAILURES_MAX),
            config.getMillis(ArgusConfig.THREAD_FAILURES_WINDOW_MS), System::nanoTime));
        streams.setStateListener((next, previous) -> {
            LOG.info("Kafka Streams {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    /** The configured Streams settings over the fold's own defaults: the commit interval and the fetch batching. */
    static Properties streamsProperties(ArgusConfig config) {
        Properties properties = config.streamsProperties();
        properties.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            ArgusConfig.keys().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG).requireDefault());
        FETCH_KEYS.forEach(key -> defaultMainConsumerSetting(properties, key,
            ArgusConfig.keys().get(StreamsConfig.mainConsumerPrefix(key)).requireDefault()));
        return properties;
    }

    /** Sets the main consumer's {@code key} unless it is configured for it, for every consumer, or for all clients. */
    private static void defaultMainConsumerSetting(Properties properties, String key, String value) {
        boolean configured = properties.containsKey(key)
            || properties.containsKey(StreamsConfig.consumerPrefix(key))
            || properties.containsKey(StreamsConfig.mainConsumerPrefix(key));
        if (!configured) {
            properties.put(StreamsConfig.mainConsumerPrefix(key), value);
        }
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
        app.hangingTransactions = app.startHangingTransactionGuard();
        app.streams.start();
        return app;
    }

    private HangingTransactionGuard startHangingTransactionGuard() {
        String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        Set<String> argusTopics = topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        Admin admin = Admin.create(adminProperties(config));
        // Changelog topics are named <application id>-<store>-changelog.
        HangingTransactions scope = new HangingTransactions(admin,
            topic -> argusTopics.contains(topic) || topic.startsWith(applicationId + "-"), applicationId);
        return HangingTransactionGuard.start(admin, scope,
            HangingTransactionGuard.Mode.parse(ArgusConfig.TRANSACTIONS_HANGING,
                config.get(ArgusConfig.TRANSACTIONS_HANGING)),
            config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
            Duration.ofMillis(config.getLong(ArgusConfig.TRANSACTIONS_HANGING_CHECK_MS)));
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

    /** Which batches the fold changes, as it changes them. */
    public BatchChanges changes() {
        return changes;
    }

    /** Hanging transactions found and aborted on Argus's partitions ({@link HangingTransactionGuard}). */
    public HangingTransactionGuard hangingTransactions() {
        return hangingTransactions;
    }

    /** Leaves the consumer group, so the partitions move to other instances at once, not after a session timeout. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(config.getMillis(ArgusConfig.CLOSE_TIMEOUT_MS)));
        if (hangingTransactions != null) {
            hangingTransactions.close();
        }
        registry.close();
    }

    /**
     * The registry settings, with one call's deadline bounded to half the fold's transaction timeout under
     * exactly-once: a writer-schema lookup on the stream thread must end, answered or failed, while its transaction
     * is still open. A failed lookup then restarts the task from its last commit (FoldProcessor), instead of the
     * coordinator aborting the transaction under a thread that still waits (30 s of lookup against 10 s).
     */
    static Map<String, String> registrySettingsWithin(ArgusConfig config) {
        Map<String, String> settings = new HashMap<>(config.registrySettings());
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            return settings;
        }
        // The client's own parsing gives the configured values, or its defaults.
        RegistryClientConfig configured = RegistryClientConfig.fromMap(settings);
        long call = Math.min(transactionTimeoutMs(config) / 2, configured.callTimeout().toMillis());
        long request = Math.min(call, configured.requestTimeout().toMillis());
        settings.put(RegistryClientConfig.CALL_TIMEOUT_MS, Long.toString(call));
        settings.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, Long.toString(request));
        return settings;
    }

    /** The stream threads' producers' transaction timeout: Streams sets 10 s under exactly-once unless told. */
    private static long transactionTimeoutMs(ArgusConfig config) {
        String producerKey = StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return config.find(producerKey).or(() -> config.find(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))
            .map(Long::parseLong).orElse(STREAMS_TRANSACTION_TIMEOUT_MS);
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
