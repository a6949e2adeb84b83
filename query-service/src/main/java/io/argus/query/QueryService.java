package io.argus.query;

import io.argus.streams.app.ArgusStreams;
import io.argus.streams.app.HangingTransactionGuard;
import io.argus.streams.fold.Effect;
import io.argus.streams.topology.FoldCounters;
import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service: the fold (embedded) and the HTTP API over its stores. HTTP binds first, since the fold must
 * advertise the real port as {@code application.server}; API calls answer 503 until the fold is wired up.
 */
public final class QueryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
    /**
     * How much longer than the longest decision wait an idle connection stays open (internal: it only has to be more
     * than the time an answer takes once the wait ends).
     */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

    private final Javalin http;
    private final ArgusStreams streams;
    private final EventPublisher publisher;
    private final EventLogReader log;
    private final DecisionWaits waits;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreamsMetrics streamsMetrics;

    private QueryService(Javalin http, ArgusStreams streams, EventPublisher publisher, EventLogReader log,
                         DecisionWaits waits, PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics) {
        this.http = http;
        this.streams = streams;
        this.publisher = publisher;
        this.log = log;
        this.waits = waits;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
    }

    public static QueryService start(QueryConfig config, Clock clock) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<ArgusHttp.Parts> parts = new AtomicReference<>();
        AtomicReference<ArgusStreams> fold = new AtomicReference<>();
        ReadinessRule readinessRule = new ReadinessRule(config.getLong(QueryConfig.READY_MAX_LAG),
            Duration.ofMillis(config.getLong(QueryConfig.READY_STUCK_MS)), System::nanoTime);
        ArgusHttp.Settings settings = new ArgusHttp.Settings(() -> readiness(fold.get(), readinessRule),
            () -> liveness(fold.get()), metrics,
            config.find(QueryConfig.API_TOKEN), config.getBoolean(QueryConfig.PROTECT_READS),
            config.getMillis(QueryConfig.HTTP_DRAIN_TIMEOUT_MS));
        Javalin http = ArgusHttp.create(() -> Optional.ofNullable(parts.get()), settings)
            .start(config.get(QueryConfig.HTTP_HOST), config.getInt(QueryConfig.HTTP_PORT));
        outlastDecisionWaits(http);

        HostInfo self = advertised(config, http.port());
        ArgusStreams app = ArgusStreams.start(config.with(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG,
            self.host() + ":" + self.port())));
        fold.set(app);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(app.streams());
        streamsMetrics.bindTo(metrics);
        bindFoldCounters(app.counters(), metrics);
        bindHangingTransactions(app.hangingTransactions(), metrics);

        EventPublisher publisher = new EventPublisher(config.streamsProperties(), app.topics().events(),
            Duration.ofMillis(config.getLong(QueryConfig.INGEST_ACK_TIMEOUT_MS)),
            config.getMillis(QueryConfig.INGEST_CLOSE_TIMEOUT_MS));
        LocalStores stores = new LocalStores(app.streams()::store, config.getMillis(QueryConfig.STORES_WAIT_MS));
        Duration stallTimeout = Duration.ofMillis(config.getLong(QueryConfig.STALL_TIMEOUT_MS));
        EventLogReader log = new EventLogReader(config.streamsProperties(), app.topics().events().name(),
            config.getMillis(QueryConfig.HISTORY_READ_TIMEOUT_MS));
        BatchReads reads = new BatchReads(stores, log, app.topics().events().valueSerde().deserializer(), clock,
            stallTimeout);
        Ingest ingest = new Ingest(new FlatEventParser(clock, "http-ingest"), publisher, clock,
            config.getLong(QueryConfig.INGEST_MAX_BYTES), config.getInt(QueryConfig.INGEST_MAX_EVENTS));
        DecisionWaits waits = new DecisionWaits(app.changes(), config.getInt(QueryConfig.DECISION_MAX_WAITS));
        Gauge.builder("argus.decision.waits.outstanding", waits, DecisionWaits::outstanding)
            .description("Decision requests with wait_ms waiting now (bounded by argus.decision.max.waits)")
            .register(metrics);
        Duration peerConnectTimeout = config.getMillis(QueryConfig.PEER_CONNECT_TIMEOUT_MS);
        parts.set(new ArgusHttp.Parts(new KeyRouter(app.streams(), self),
            new Forwarder(self, peerConnectTimeout, config.getMillis(QueryConfig.FORWARD_TIMEOUT_MS)), reads,
            new ClusterBatches(app.streams(), self, peerConnectTimeout,
                config.getMillis(QueryConfig.CLUSTER_LIST_TIMEOUT_MS)), ingest, waits));
        LOG.info("Argus query service on http://{}:{} (advertised as {}:{})", config.get(QueryConfig.HTTP_HOST),
            http.port(), self.host(), self.port());
        return new QueryService(http, app, publisher, log, waits, metrics, streamsMetrics);
    }

    /**
     * A decision wait holds its connection without a byte for up to {@link DecisionAnswer#MAX_WAIT}: Jetty's idle
     * timeout (30 s by default) must not close it first. Applies to every connection opened from now on.
     */
    private static void outlastDecisionWaits(Javalin http) {
        for (Connector connector : http.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector withTimeout) {
                withTimeout.setIdleTimeout(DecisionAnswer.MAX_WAIT.plus(IDLE_MARGIN).toMillis());
            }
        }
    }

    /** The port HTTP listens on (useful when configured as 0). */
    public int port() {
        return http.port();
    }

    public ArgusStreams fold() {
        return streams;
    }

    /**
     * Drains, then stops: decision waits end with a 503 to ask again, requests in flight finish (at most
     * {@code argus.http.drain.timeout.ms}) while the fold still runs and new ones are answered 503; then the fold stops
     * (leaving its group), so no request reads a closing store.
     */
    @Override
    public void close() {
        waits.close();
        http.stop();
        publisher.close();
        log.close();
        streamsMetrics.close();
        streams.close();
        metrics.close();
    }

    /** application.server when configured (a pod's DNS name), else the HTTP host and real port. */
    private static HostInfo advertised(QueryConfig config, int port) {
        Optional<String> configured = config.find(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (configured.isPresent()) {
            return HostInfo.buildFromEndpoint(configured.get());
        }
        String host = config.get(QueryConfig.HTTP_HOST);
        if (host.equals("0.0.0.0")) {
            throw new IllegalArgumentException("argus.http.host is 0.0.0.0: set application.server "
                + "(ARGUS_APPLICATION_SERVER) to the host:port other instances reach this one at");
        }
        return new HostInfo(host, port);
    }

    /**
     * Alive unless the fold stopped for good: ERROR (its threads died beyond the failure budget) or NOT_RUNNING (shut
     * down). Kubernetes restarts a pod whose {@code /healthz} fails; a new process starts a new fold.
     */
    private static ArgusHttp.Readiness liveness(ArgusStreams app) {
        if (app == null) {
            return new ArgusHttp.Readiness(true, "STARTING");
        }
        KafkaStreams.State state = app.streams().state();
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
            || state == KafkaStreams.State.NOT_RUNNING;
        return new ArgusHttp.Readiness(!dead, state.name());
    }

    /** Ready when the fold runs and is caught up: its lag on the event log is at most {@code maxLag} records. */
    private static ArgusHttp.Readiness readiness(ArgusStreams app, ReadinessRule rule) {
        if (app == null) {
            return new ArgusHttp.Readiness(false, "STARTING");
        }
        KafkaStreams.State state = app.streams().state();
        if (state != KafkaStreams.State.RUNNING) {
            return new ArgusHttp.Readiness(false, state.name());
        }
        Optional<String> notReady = rule.notReadyBecause(FoldLag.max(app.streams(), app.topics().events().name()),
            app.counters().records());
        return notReady.map(why -> new ArgusHttp.Readiness(false, why))
            .orElseGet(() -> new ArgusHttp.Readiness(true, state.name()));
    }

    private static void bindFoldCounters(FoldCounters counters, PrometheusMeterRegistry metrics) {
        for (Effect effect : Effect.values()) {
            FunctionCounter.builder("argus.fold.events", counters, c -> c.events(effect))
                .tag("effect", effect.name().toLowerCase())
                .description("Events the fold processed, by what they did")
                .register(metrics);
        }
        FunctionCounter.builder("argus.dead.letters", counters, FoldCounters::deadLetters)
            .description("Records sent to the dead-letter topic")
            .register(metrics);
        FunctionCounter.builder("argus.fold.rerouted", counters, FoldCounters::reroutes)
            .description("Events that arrived on a partition not owning their batch, copied to the owner partition")
            .register(metrics);
        FunctionCounter.builder("argus.fold.registry.retries", counters, FoldCounters::registryRetries)
            .description("Times a task started again from its last commit because the registry did not answer")
            .register(metrics);
    }

    private static void bindHangingTransactions(HangingTransactionGuard guard, PrometheusMeterRegistry metrics) {
        FunctionCounter.builder("argus.transactions.hanging.found", guard, HangingTransactionGuard::found)
            .description("Transactions found open on Argus partitions with no coordinator tracking them")
            .register(metrics);
        FunctionCounter.builder("argus.transactions.hanging.aborted", guard, HangingTransactionGuard::aborted)
            .description("Hanging transactions aborted (argus.transactions.hanging=abort)")
            .register(metrics);
    }
}
