package io.argus.streams.app;

import io.argus.schemas.config.ConfigSources;
import io.argus.schemas.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Argus's configuration in three layers, each overriding the one before: built-in defaults, then a properties file
 * ({@code ARGUS_CONFIG_FILE} or {@code --config}), then environment variables. Keys are Kafka's own (any Kafka
 * client or Streams setting passes through, for SASL, TLS and tuning) plus {@code argus.*} keys. The fold's keys
 * are documented in streams-app/README.md, the HTTP ones ({@code argus.http.*}, {@code argus.api.*} and the rest)
 * in query-service/README.md.
 */
public final class ArgusConfig extends Settings {

    public static final String TOPICS_PREFIX = "argus.topics.prefix";
    public static final String TOPICS_PARTITIONS = "argus.topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "argus.topics.replication.factor";
    public static final String REGISTRY_URL = "argus.registry.url";
    public static final String HTTP_HOST = "argus.http.host";
    public static final String HTTP_PORT = "argus.http.port";
    public static final String API_TOKEN = "argus.api.token";
    public static final String PROTECT_READS = "argus.api.protect.reads";
    public static final String STALL_TIMEOUT_MS = "argus.stall.timeout.ms";
    public static final String INGEST_MAX_BYTES = "argus.ingest.max.bytes";
    public static final String INGEST_MAX_EVENTS = "argus.ingest.max.events";
    public static final String INGEST_ACK_TIMEOUT_MS = "argus.ingest.ack.timeout.ms";
    public static final String READY_MAX_LAG = "argus.ready.max.lag";
    public static final String READY_STUCK_MS = "argus.ready.stuck.ms";
    public static final String DECISION_MAX_WAITS = "argus.decision.max.waits";
    public static final String VIEWS_INTERVAL_MS = "argus.views.interval.ms";
    public static final String ROCKSDB_MEMORY_BYTES = "argus.rocksdb.memory.bytes";
    public static final String FOLD_CACHE_MAX_BYTES = "argus.fold.cache.max.bytes";
    public static final String TRANSACTIONS_HANGING = "argus.transactions.hanging";
    public static final String TRANSACTIONS_HANGING_CHECK_MS = "argus.transactions.hanging.check.ms";

    /** The {@code argus.*} keys Streams plugins read from the configuration Streams hands them. */
    private static final Set<String> STREAMS_PLUGIN_KEYS = Set.of(ROCKSDB_MEMORY_BYTES);

    /** Environment variables with a fixed key, besides the {@code ARGUS_KAFKA_*} passthrough. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.ofEntries(
        Map.entry("ARGUS_KAFKA_BOOTSTRAP", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
        Map.entry("ARGUS_REGISTRY_URL", REGISTRY_URL),
        Map.entry("ARGUS_STATE_DIR", StreamsConfig.STATE_DIR_CONFIG),
        Map.entry("ARGUS_APPLICATION_ID", StreamsConfig.APPLICATION_ID_CONFIG),
        Map.entry("ARGUS_APPLICATION_SERVER", StreamsConfig.APPLICATION_SERVER_CONFIG),
        Map.entry("ARGUS_TOPICS_PREFIX", TOPICS_PREFIX),
        Map.entry("ARGUS_TOPICS_PARTITIONS", TOPICS_PARTITIONS),
        Map.entry("ARGUS_TOPICS_REPLICATION_FACTOR", TOPICS_REPLICATION_FACTOR),
        Map.entry("ARGUS_HTTP_HOST", HTTP_HOST),
        Map.entry("ARGUS_HTTP_PORT", HTTP_PORT),
        Map.entry("ARGUS_API_TOKEN", API_TOKEN),
        Map.entry("ARGUS_API_PROTECT_READS", PROTECT_READS),
        Map.entry("ARGUS_STALL_TIMEOUT_MS", STALL_TIMEOUT_MS),
        Map.entry("ARGUS_INGEST_MAX_BYTES", INGEST_MAX_BYTES),
        Map.entry("ARGUS_INGEST_MAX_EVENTS", INGEST_MAX_EVENTS),
        Map.entry("ARGUS_INGEST_ACK_TIMEOUT_MS", INGEST_ACK_TIMEOUT_MS),
        Map.entry("ARGUS_READY_MAX_LAG", READY_MAX_LAG),
        Map.entry("ARGUS_READY_STUCK_MS", READY_STUCK_MS),
        Map.entry("ARGUS_DECISION_MAX_WAITS", DECISION_MAX_WAITS),
        Map.entry("ARGUS_VIEWS_INTERVAL_MS", VIEWS_INTERVAL_MS),
        Map.entry("ARGUS_ROCKSDB_MEMORY_BYTES", ROCKSDB_MEMORY_BYTES),
        Map.entry("ARGUS_FOLD_CACHE_MAX_BYTES", FOLD_CACHE_MAX_BYTES),
        Map.entry("ARGUS_TRANSACTIONS_HANGING", TRANSACTIONS_HANGING),
        Map.entry("ARGUS_TRANSACTIONS_HANGING_CHECK_MS", TRANSACTIONS_HANGING_CHECK_MS));
    /** {@code ARGUS_KAFKA_SASL_MECHANISM=PLAIN} sets {@code sasl.mechanism=PLAIN}. */

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, "argus"),
        Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"),
        Map.entry(REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7"),
        Map.entry(StreamsConfig.STATE_DIR_CONFIG, "argus-data/streams"),
        Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2),
        Map.entry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1"),
        Map.entry(TOPICS_PREFIX, ""),
        Map.entry(TOPICS_PARTITIONS, "3"),
        Map.entry(TOPICS_REPLICATION_FACTOR, "-1"),
        Map.entry(HTTP_HOST, "127.0.0.1"),
        Map.entry(HTTP_PORT, "8080"),
        Map.entry(PROTECT_READS, "false"),
        Map.entry(STALL_TIMEOUT_MS, "180000"),
        Map.entry(INGEST_MAX_BYTES, "1048576"),
        Map.entry(INGEST_MAX_EVENTS, "1000"),
        Map.entry(INGEST_ACK_TIMEOUT_MS, "10000"),
        Map.entry(READY_MAX_LAG, "1000"),
        Map.entry(READY_STUCK_MS, "30000"),
        Map.entry(DECISION_MAX_WAITS, "1000"),
        Map.entry(VIEWS_INTERVAL_MS, "100"),
        Map.entry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName()),
        Map.entry(ROCKSDB_MEMORY_BYTES, Long.toString(64L << 20)),
        Map.entry(FOLD_CACHE_MAX_BYTES, Long.toString(64L << 20)),
        Map.entry(TRANSACTIONS_HANGING, "warn"),
        Map.entry(TRANSACTIONS_HANGING_CHECK_MS, "5000"));

    private ArgusConfig(Map<String, String> values) {
        super(values);
    }

    /** Defaults, then the file (when given), then the environment. */
    public static ArgusConfig load(Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Optional<Path> fromEnvironment =
            Optional.ofNullable(environment.get(ConfigSources.CONFIG_FILE_VARIABLE)).map(Path::of);
        file.or(() -> fromEnvironment).ifPresent(path -> values.putAll(ConfigSources.readFile(path)));
        values.putAll(fromEnvironment(environment));
        return new ArgusConfig(values);
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
        return ENVIRONMENT_KEYS.keySet();
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        return ConfigSources.fromEnvironment(environment, ENVIRONMENT_KEYS);
    }
}
