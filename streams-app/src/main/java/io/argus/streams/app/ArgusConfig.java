package io.argus.streams.app;

import io.argus.schemas.config.ConfigKeys;
import io.argus.schemas.config.ConfigSources;
import io.argus.schemas.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The fold's configuration: every key streams-app reads, in three layers, each overriding the one before: the
 * defaults declared here, then a properties file ({@code ARGUS_CONFIG_FILE} or {@code --config}), then environment
 * variables ({@link ConfigSources}). Keys are Kafka's own (any Kafka client or Streams setting passes through, for
 * SASL, TLS and tuning) plus {@code argus.*} keys; streams-app/README.md documents each, and
 * {@code ArgusConfigReadmeTest} holds that table against {@link #keys()}. The query service's process reads these and
 * its own ({@code QueryConfig}, which extends this class).
 */
public class ArgusConfig extends Settings {

    public static final String TOPICS_PREFIX = "argus.topics.prefix";
    public static final String TOPICS_PARTITIONS = "argus.topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "argus.topics.replication.factor";
    public static final String REGISTRY_URL = "argus.registry.url";
    public static final String VIEWS_INTERVAL_MS = "argus.views.interval.ms";
    public static final String ROCKSDB_MEMORY_BYTES = "argus.rocksdb.memory.bytes";
    public static final String FOLD_CACHE_MAX_BYTES = "argus.fold.cache.max.bytes";
    public static final String TRANSACTIONS_HANGING = "argus.transactions.hanging";
    public static final String TRANSACTIONS_HANGING_CHECK_MS = "argus.transactions.hanging.check.ms";
    public static final String THREAD_FAILURES_MAX = "argus.fold.thread.failures.max";
    public static final String THREAD_FAILURES_WINDOW_MS = "argus.fold.thread.failures.window.ms";
    public static final String CLOSE_TIMEOUT_MS = "argus.fold.close.timeout.ms";
    static final String MAIN_CONSUMER_FETCH_MIN_BYTES = StreamsConfig.mainConsumerPrefix(
        ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
    static final String MAIN_CONSUMER_FETCH_MAX_WAIT_MS = StreamsConfig.mainConsumerPrefix(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);

    /** The {@code argus.*} keys Streams plugins read from the configuration Streams hands them. */
    private static final Set<String> STREAMS_PLUGIN_KEYS = Set.of(ROCKSDB_MEMORY_BYTES);

    /** In streams-app/README.md's order. */
    private static final ConfigKeys KEYS = ConfigKeys.builder()
        .key(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "ARGUS_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
        .key(StreamsConfig.APPLICATION_ID_CONFIG, "ARGUS_APPLICATION_ID", "argus")
        .key(StreamsConfig.STATE_DIR_CONFIG, "ARGUS_STATE_DIR", "argus-data/streams")
        .key(StreamsConfig.APPLICATION_SERVER_CONFIG, "ARGUS_APPLICATION_SERVER", null)
        .key(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "ARGUS_KAFKA_PROCESSING_GUARANTEE",
            StreamsConfig.EXACTLY_ONCE_V2)
        // HTTP reads see the fold's state before it commits, so this does not delay them; 500 ms folded 28% faster
        // than exactly-once's 100 ms with the same freshness (docs/benchmarks.md). A rebuild sets its own.
        .keyDefaultedWhereRead(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "ARGUS_KAFKA_COMMIT_INTERVAL_MS", "500")
        // A fetch returns once 64 KiB arrived or 20 ms passed, instead of Kafka's default of every single record at
        // once: under a steady trickle of small events the fold handles them in batches rather than one fetch, one
        // poll loop and one broker wake-up per event (a third of the CPU of single-event ingest). Applied unless a
        // fetch setting is configured for every consumer or every client (ArgusStreams).
        .keyDefaultedWhereRead(MAIN_CONSUMER_FETCH_MIN_BYTES, "ARGUS_KAFKA_MAIN_CONSUMER_FETCH_MIN_BYTES",
            Integer.toString(64 << 10))
        .keyDefaultedWhereRead(MAIN_CONSUMER_FETCH_MAX_WAIT_MS, "ARGUS_KAFKA_MAIN_CONSUMER_FETCH_MAX_WAIT_MS", "20")
        .key(StreamsConfig.REPLICATION_FACTOR_CONFIG, "ARGUS_KAFKA_REPLICATION_FACTOR", "-1")
        .key(REGISTRY_URL, "ARGUS_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
        .key(TOPICS_PREFIX, "ARGUS_TOPICS_PREFIX", "")
        .key(TOPICS_PARTITIONS, "ARGUS_TOPICS_PARTITIONS", "3")
        .key(TOPICS_REPLICATION_FACTOR, "ARGUS_TOPICS_REPLICATION_FACTOR", "-1")
        .key(VIEWS_INTERVAL_MS, "ARGUS_VIEWS_INTERVAL_MS", "100")
        .key(ROCKSDB_MEMORY_BYTES, "ARGUS_ROCKSDB_MEMORY_BYTES", Long.toString(64L << 20))
        .key(FOLD_CACHE_MAX_BYTES, "ARGUS_FOLD_CACHE_MAX_BYTES", Long.toString(64L << 20))
        .key(TRANSACTIONS_HANGING, "ARGUS_TRANSACTIONS_HANGING", "warn")
        .key(TRANSACTIONS_HANGING_CHECK_MS, "ARGUS_TRANSACTIONS_HANGING_CHECK_MS", "5000")
        .key(THREAD_FAILURES_MAX, "ARGUS_FOLD_THREAD_FAILURES_MAX", "10")
        .key(THREAD_FAILURES_WINDOW_MS, "ARGUS_FOLD_THREAD_FAILURES_WINDOW_MS", Long.toString(10 * 60_000))
        .key(CLOSE_TIMEOUT_MS, "ARGUS_FOLD_CLOSE_TIMEOUT_MS", "30000")
        .key(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "ARGUS_KAFKA_ROCKSDB_CONFIG_SETTER",
            BoundedRocksDbMemory.class.getName())
        .build();

    protected ArgusConfig(Map<String, String> values) {
        super(values);
    }

    /** Defaults, then the file (when given, else {@code ARGUS_CONFIG_FILE}'s), then the environment. */
    public static ArgusConfig load(Optional<Path> file, Map<String, String> environment) {
        return new ArgusConfig(ConfigSources.layered(KEYS, file, environment));
    }

    /** Every key the fold reads, with its variable and default. */
    public static ConfigKeys keys() {
        return KEYS;
    }

    /** These values over the current ones: for tests and commands that set a key themselves. */
    public ArgusConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(asMap());
        merged.putAll(overrides);
        return new ArgusConfig(merged);
    }

    /**
     * Everything that is not an {@code argus.*} key (Kafka Streams and client settings), plus the {@code argus.*}
     * keys Streams plugins read: Streams hands its whole configuration to them (the RocksDB memory budget).
     */
    public Properties streamsProperties() {
        Properties properties = new Properties();
        asMap().forEach((key, value) -> {
            if (!key.startsWith("argus.") || STREAMS_PLUGIN_KEYS.contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** The {@code argus.registry.*} keys, for the registry client. */
    public Map<String, String> registrySettings() {
        return asMap().entrySet().stream()
            .filter(e -> e.getKey().startsWith("argus.registry."))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The environment variables with a fixed key; any other {@code ARGUS_KAFKA_*} passes a Kafka setting. */
    public static Set<String> environmentVariables() {
        return KEYS.environmentVariables().keySet();
    }
}
