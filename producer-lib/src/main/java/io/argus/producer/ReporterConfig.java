package io.argus.producer;

import io.argus.schemas.config.ConfigSources;
import io.argus.schemas.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Reporter's settings in layers, each overriding the one before: defaults, then a properties file
 * ({@code ARGUS_CONFIG_FILE}), then environment variables, then what the launcher sets on the builder. Keys are
 * Kafka producer settings (passed through, for SASL and TLS) plus {@code argus.*} keys; README lists them all.
 */
public final class ReporterConfig extends Settings {

    public static final String BOOTSTRAP_SERVERS = ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String REGISTRY_URL = "argus.registry.url";
    public static final String QUERY_URL = "argus.query.url";
    public static final String API_TOKEN = "argus.api.token";
    public static final String TRANSPORT = "argus.transport";
    public static final String TOPICS_PREFIX = "argus.topics.prefix";
    public static final String SPOOL_DIR = "argus.spool.dir";
    public static final String SPOOL_MAX_BYTES = "argus.spool.max.bytes";
    public static final String DONE_TIMEOUT_MS = "argus.done.timeout.ms";
    public static final String CLOSE_TIMEOUT_MS = "argus.close.timeout.ms";
    public static final String QUERY_TIMEOUT_MS = "argus.query.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "argus.heartbeat.interval.ms";

    /** Environment variables with a fixed key, besides the {@code ARGUS_KAFKA_*} passthrough. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.ofEntries(
        Map.entry("ARGUS_KAFKA_BOOTSTRAP", BOOTSTRAP_SERVERS),
        Map.entry("ARGUS_REGISTRY_URL", REGISTRY_URL),
        Map.entry("ARGUS_QUERY_URL", QUERY_URL),
        Map.entry("ARGUS_API_TOKEN", API_TOKEN),
        Map.entry("ARGUS_TRANSPORT", TRANSPORT),
        Map.entry("ARGUS_TOPICS_PREFIX", TOPICS_PREFIX),
        Map.entry("ARGUS_SPOOL_DIR", SPOOL_DIR),
        Map.entry("ARGUS_SPOOL_MAX_BYTES", SPOOL_MAX_BYTES),
        Map.entry("ARGUS_DONE_TIMEOUT_MS", DONE_TIMEOUT_MS),
        Map.entry("ARGUS_CLOSE_TIMEOUT_MS", CLOSE_TIMEOUT_MS),
        Map.entry("ARGUS_QUERY_TIMEOUT_MS", QUERY_TIMEOUT_MS),
        Map.entry("ARGUS_HEARTBEAT_INTERVAL_MS", HEARTBEAT_INTERVAL_MS));
    /** {@code ARGUS_KAFKA_SASL_MECHANISM=PLAIN} sets {@code sasl.mechanism=PLAIN}. */

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry(BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
        Map.entry(REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7"),
        Map.entry(TRANSPORT, "kafka"),
        Map.entry(TOPICS_PREFIX, ""),
        Map.entry(SPOOL_DIR, ".argus-spool"),
        Map.entry(SPOOL_MAX_BYTES, Long.toString(256L << 20)),
        Map.entry(DONE_TIMEOUT_MS, "10000"),
        Map.entry(CLOSE_TIMEOUT_MS, "30000"),
        Map.entry(QUERY_TIMEOUT_MS, "30000"),
        Map.entry(HEARTBEAT_INTERVAL_MS, "30000"),
        // The registry is asked once per schema; a dead one must not hold a launcher for the client's 30 s default.
        Map.entry("argus.registry.call.timeout.ms", "5000"),
        // Bounded waits for the caller: send() blocks at most max.block.ms (metadata, full buffer), and a record
        // the broker never acknowledges fails after delivery.timeout.ms and goes to the spool.
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"),
        Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(16L << 20)),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"),
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"),
        // done() waits for its acknowledgement, so a linger adds straight to its latency (5 ms at Kafka's default);
        // under load, batches still form while earlier requests are in flight.
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, "0"));

    private ReporterConfig(Map<String, String> values) {
        super(values);
    }

    /** Defaults, the file named by {@code ARGUS_CONFIG_FILE}, the environment, then the overrides. */
    public static ReporterConfig load(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Optional.ofNullable(environment.get(ConfigSources.CONFIG_FILE_VARIABLE)).map(Path::of)
            .ifPresent(file -> values.putAll(ConfigSources.readFile(file)));
        values.putAll(fromEnvironment(environment));
        values.putAll(overrides);
        return new ReporterConfig(values);
    }

    /** A positive number of milliseconds. */
    public Duration getMillis(String key) {
        long millis = getLong(key);
        if (millis <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, got " + millis);
        }
        return Duration.ofMillis(millis);
    }

    /** The query service's base URL ({@code http://host:8080}), when configured. */
    public Optional<URI> queryUrl() {
        return find(QUERY_URL).map(url -> URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
    }

    public Path spoolRoot() {
        return Path.of(get(SPOOL_DIR));
    }

    /** Everything that is not an {@code argus.*} key: Kafka producer settings. */
    public Map<String, Object> kafkaSettings() {
        Map<String, Object> kafka = new TreeMap<>();
        asMap().forEach((key, value) -> {
            if (!key.startsWith("argus.")) {
                kafka.put(key, value);
            }
        });
        return kafka;
    }

    /** The {@code argus.registry.*} and {@code argus.serde.*} keys, for the serializer. */
    public Map<String, Object> serdeSettings() {
        Map<String, Object> serde = new TreeMap<>();
        asMap().forEach((key, value) -> {
            if (key.startsWith("argus.registry.") || key.startsWith("argus.serde.")) {
                serde.put(key, value);
            }
        });
        return serde;
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        return ConfigSources.fromEnvironment(environment, ENVIRONMENT_KEYS);
    }

}
