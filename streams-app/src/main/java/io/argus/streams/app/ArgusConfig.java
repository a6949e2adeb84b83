package io.argus.streams.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Argus's configuration in three layers, each overriding the one before: built-in defaults, then a properties file
 * ({@code ARGUS_CONFIG_FILE} or {@code --config}), then environment variables. Keys are Kafka's own (any Kafka
 * client or Streams setting passes through, for SASL, TLS and tuning) plus {@code argus.*} keys. Every key is
 * documented in streams-app/README.md.
 */
public final class ArgusConfig {

    public static final String TOPICS_PREFIX = "argus.topics.prefix";
    public static final String TOPICS_PARTITIONS = "argus.topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "argus.topics.replication.factor";
    public static final String REGISTRY_URL = "argus.registry.url";

    /** Environment variables with a fixed key, besides the {@code ARGUS_KAFKA_*} passthrough. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.of(
        "ARGUS_KAFKA_BOOTSTRAP", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        "ARGUS_REGISTRY_URL", REGISTRY_URL,
        "ARGUS_STATE_DIR", StreamsConfig.STATE_DIR_CONFIG,
        "ARGUS_APPLICATION_ID", StreamsConfig.APPLICATION_ID_CONFIG,
        "ARGUS_APPLICATION_SERVER", StreamsConfig.APPLICATION_SERVER_CONFIG,
        "ARGUS_TOPICS_PREFIX", TOPICS_PREFIX,
        "ARGUS_TOPICS_PARTITIONS", TOPICS_PARTITIONS,
        "ARGUS_TOPICS_REPLICATION_FACTOR", TOPICS_REPLICATION_FACTOR);
    /** {@code ARGUS_KAFKA_SASL_MECHANISM=PLAIN} sets {@code sasl.mechanism=PLAIN}. */
    static final String KAFKA_PASSTHROUGH_PREFIX = "ARGUS_KAFKA_";

    private static final Map<String, String> DEFAULTS = Map.of(
        StreamsConfig.APPLICATION_ID_CONFIG, "argus",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
        REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7",
        StreamsConfig.STATE_DIR_CONFIG, "argus-data/streams",
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1",
        TOPICS_PREFIX, "",
        TOPICS_PARTITIONS, "3",
        TOPICS_REPLICATION_FACTOR, "-1");

    private final Map<String, String> values;

    private ArgusConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Defaults, then the file (when given), then the environment. */
    public static ArgusConfig load(Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Optional<Path> fromEnvironment = Optional.ofNullable(environment.get("ARGUS_CONFIG_FILE")).map(Path::of);
        file.or(() -> fromEnvironment).ifPresent(path -> values.putAll(readFile(path)));
        values.putAll(fromEnvironment(environment));
        return new ArgusConfig(values);
    }

    /** These values over the current ones: for tests and commands that set a key themselves. */
    public ArgusConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new ArgusConfig(merged);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing configuration key " + key);
        }
        return value;
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'", e);
        }
    }

    /** Everything that is not an {@code argus.*} key: Kafka Streams and client settings. */
    public Properties streamsProperties() {
        Properties properties = new Properties();
        values.forEach((key, value) -> {
            if (!key.startsWith("argus.")) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** The {@code argus.registry.*} keys, for the registry client. */
    public Map<String, String> registrySettings() {
        return values.entrySet().stream()
            .filter(e -> e.getKey().startsWith("argus.registry."))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public Map<String, String> asMap() {
        return values;
    }

    private static Map<String, String> readFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("configuration file " + path.toAbsolutePath() + " does not exist");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + path.toAbsolutePath(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        return values;
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach((name, value) -> {
            String key = ENVIRONMENT_KEYS.get(name);
            if (key != null) {
                values.put(key, value);
            } else if (name.startsWith(KAFKA_PASSTHROUGH_PREFIX) && name.length() > KAFKA_PASSTHROUGH_PREFIX.length()) {
                values.put(name.substring(KAFKA_PASSTHROUGH_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                    value);
            }
        });
        return values;
    }
}
