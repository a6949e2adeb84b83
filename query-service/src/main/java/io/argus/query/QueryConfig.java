package io.argus.query;

import io.argus.schemas.config.ConfigKeys;
import io.argus.schemas.config.ConfigSources;
import io.argus.streams.app.ArgusConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The query service process's configuration: the fold's keys ({@link ArgusConfig}, since the process runs the fold)
 * and the query service's own, declared here, in the same layers (defaults, then a properties file, then environment
 * variables: {@link ConfigSources}). query-service/README.md documents the keys declared here, and
 * {@code QueryConfigReadmeTest} holds that table against {@link #keys()}.
 *
 * <p>What stays a constant in the code is not an operator's choice, and says why where it is declared: the longest
 * decision wait ({@link DecisionAnswer#MAX_WAIT}, part of the API) and the idle margin past it ({@link QueryService}),
 * the backoff steps of a store read ({@link LocalStores}), the read budgets of history pages ({@link BatchReads}).
 */
public final class QueryConfig extends ArgusConfig {

    public static final String HTTP_HOST = "argus.http.host";
    public static final String HTTP_PORT = "argus.http.port";
    public static final String HTTP_DRAIN_TIMEOUT_MS = "argus.http.drain.timeout.ms";
    public static final String API_TOKEN = "argus.api.token";
    public static final String PROTECT_READS = "argus.api.protect.reads";
    public static final String STALL_TIMEOUT_MS = "argus.stall.timeout.ms";
    public static final String INGEST_MAX_BYTES = "argus.ingest.max.bytes";
    public static final String INGEST_MAX_EVENTS = "argus.ingest.max.events";
    public static final String INGEST_ACK_TIMEOUT_MS = "argus.ingest.ack.timeout.ms";
    public static final String INGEST_CLOSE_TIMEOUT_MS = "argus.ingest.close.timeout.ms";
    public static final String READY_MAX_LAG = "argus.ready.max.lag";
    public static final String READY_STUCK_MS = "argus.ready.stuck.ms";
    public static final String DECISION_MAX_WAITS = "argus.decision.max.waits";
    public static final String STORES_WAIT_MS = "argus.stores.wait.ms";
    public static final String HISTORY_READ_TIMEOUT_MS = "argus.history.read.timeout.ms";
    public static final String PEER_CONNECT_TIMEOUT_MS = "argus.peer.connect.timeout.ms";
    public static final String FORWARD_TIMEOUT_MS = "argus.forward.timeout.ms";
    public static final String CLUSTER_LIST_TIMEOUT_MS = "argus.cluster.list.timeout.ms";

    /** The query service's own keys, in query-service/README.md's order. */
    private static final ConfigKeys OWN_KEYS = ConfigKeys.builder()
        .key(HTTP_HOST, "ARGUS_HTTP_HOST", "127.0.0.1")
        .key(HTTP_PORT, "ARGUS_HTTP_PORT", "8080")
        .key(HTTP_DRAIN_TIMEOUT_MS, "ARGUS_HTTP_DRAIN_TIMEOUT_MS", "10000")
        .key(API_TOKEN, "ARGUS_API_TOKEN", null)
        .key(PROTECT_READS, "ARGUS_API_PROTECT_READS", "false")
        .key(STALL_TIMEOUT_MS, "ARGUS_STALL_TIMEOUT_MS", "180000")
        .key(INGEST_MAX_BYTES, "ARGUS_INGEST_MAX_BYTES", "1048576")
        .key(INGEST_MAX_EVENTS, "ARGUS_INGEST_MAX_EVENTS", "1000")
        .key(INGEST_ACK_TIMEOUT_MS, "ARGUS_INGEST_ACK_TIMEOUT_MS", "10000")
        .key(INGEST_CLOSE_TIMEOUT_MS, "ARGUS_INGEST_CLOSE_TIMEOUT_MS", "10000")
        .key(READY_MAX_LAG, "ARGUS_READY_MAX_LAG", "1000")
        .key(READY_STUCK_MS, "ARGUS_READY_STUCK_MS", "30000")
        .key(DECISION_MAX_WAITS, "ARGUS_DECISION_MAX_WAITS", "1000")
        .key(STORES_WAIT_MS, "ARGUS_STORES_WAIT_MS", "2000")
        .key(HISTORY_READ_TIMEOUT_MS, "ARGUS_HISTORY_READ_TIMEOUT_MS", "10000")
        .key(PEER_CONNECT_TIMEOUT_MS, "ARGUS_PEER_CONNECT_TIMEOUT_MS", "2000")
        .key(FORWARD_TIMEOUT_MS, "ARGUS_FORWARD_TIMEOUT_MS", "35000")
        .key(CLUSTER_LIST_TIMEOUT_MS, "ARGUS_CLUSTER_LIST_TIMEOUT_MS", "10000")
        .build();
    private static final ConfigKeys KEYS = ArgusConfig.keys().plus(OWN_KEYS);

    private QueryConfig(Map<String, String> values) {
        super(values);
    }

    /** Defaults, then the file (when given, else {@code ARGUS_CONFIG_FILE}'s), then the environment. */
    public static QueryConfig load(Optional<Path> file, Map<String, String> environment) {
        return new QueryConfig(ConfigSources.layered(KEYS, file, environment));
    }

    /** Every key the process reads: the fold's, then the query service's. */
    public static ConfigKeys keys() {
        return KEYS;
    }

    /** The keys the query service itself adds to the fold's. */
    public static ConfigKeys ownKeys() {
        return OWN_KEYS;
    }

    @Override
    public QueryConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(asMap());
        merged.putAll(overrides);
        return new QueryConfig(merged);
    }

    /** The environment variables with a fixed key; any other {@code ARGUS_KAFKA_*} passes a Kafka setting. */
    public static Set<String> environmentVariables() {
        return KEYS.environmentVariables().keySet();
    }
}
