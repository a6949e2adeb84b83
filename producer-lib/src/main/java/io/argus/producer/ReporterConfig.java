package io.argus.producer;

import io.argus.schemas.config.ConfigKeys;
import io.argus.schemas.config.ConfigSources;
import io.argus.schemas.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Reporter's configuration: every key the SDK reads, in layers, each overriding the one before: the defaults
 * declared here, then a properties file ({@code ARGUS_CONFIG_FILE}), then environment variables ({@link
 * ConfigSources}), then what the launcher sets on the builder. Keys are Kafka producer settings (passed through, for
 * SASL and TLS) plus {@code argus.*} keys; producer-lib/README.md documents each, and {@code ReporterConfigReadmeTest}
 * holds that table against {@link #keys()}.
 */
public final class ReporterConfig extends Settings {

    public static final String BOOTSTRAP_SERVERS = ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String REGISTRY_URL = "argus.registry.url";
    public static final String REGISTRY_CALL_TIMEOUT_MS = "argus.registry.call.timeout.ms";
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

    /** In producer-lib/README.md's order. */
    private static final ConfigKeys KEYS = ConfigKeys.builder()
        .key(BOOTSTRAP_SERVERS, "ARGUS_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
        .key(REGISTRY_URL, "ARGUS_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
        // The registry is asked once per schema; a dead one must not hold a launcher for the client's 30 s default.
        .key(REGISTRY_CALL_TIMEOUT_MS, null, "5000")
        .key(QUERY_URL, "ARGUS_QUERY_URL", null)
        .key(API_TOKEN, "ARGUS_API_TOKEN", null)
        .key(TRANSPORT, "ARGUS_TRANSPORT", "kafka")
        .key(TOPICS_PREFIX, "ARGUS_TOPICS_PREFIX", "")
        .key(SPOOL_DIR, "ARGUS_SPOOL_DIR", ".argus-spool")
        .key(SPOOL_MAX_BYTES, "ARGUS_SPOOL_MAX_BYTES", Long.toString(256L << 20))
        .key(DONE_TIMEOUT_MS, "ARGUS_DONE_TIMEOUT_MS", "10000")
        .key(CLOSE_TIMEOUT_MS, "ARGUS_CLOSE_TIMEOUT_MS", "30000")
        .key(QUERY_TIMEOUT_MS, "ARGUS_QUERY_TIMEOUT_MS", "30000")
        .key(HEARTBEAT_INTERVAL_MS, "ARGUS_HEARTBEAT_INTERVAL_MS", "30000")
        // Bounded waits for the caller: send() blocks at most max.block.ms (metadata, full buffer), and a record
        // the broker never acknowledges fails after delivery.timeout.ms and goes to the spool.
        .key(ProducerConfig.MAX_BLOCK_MS_CONFIG, "ARGUS_KAFKA_MAX_BLOCK_MS", "2000")
        .key(ProducerConfig.BUFFER_MEMORY_CONFIG, "ARGUS_KAFKA_BUFFER_MEMORY", Long.toString(16L << 20))
        .key(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "ARGUS_KAFKA_DELIVERY_TIMEOUT_MS", "30000")
        .key(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "ARGUS_KAFKA_REQUEST_TIMEOUT_MS", "10000")
        // done() waits for its acknowledgement, so a linger adds straight to its latency (5 ms at Kafka's default);
        // under load, batches still form while earlier requests are in flight.
        .key(ProducerConfig.LINGER_MS_CONFIG, "ARGUS_KAFKA_LINGER_MS", "0")
        .build();

    private ReporterConfig(Map<String, String> values) {
        super(values);
    }

    /** Defaults, the file named by {@code ARGUS_CONFIG_FILE}, the environment, then the overrides. */
    public static ReporterConfig load(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>(ConfigSources.layered(KEYS, Optional.empty(), environment));
        values.putAll(overrides);
        return new ReporterConfig(values);
    }

    /** Every key the SDK reads, with its variable and default. */
    public static ConfigKeys keys() {
        return KEYS;
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
}
