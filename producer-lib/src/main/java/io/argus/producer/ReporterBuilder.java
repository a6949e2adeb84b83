package io.argus.producer;

import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.BatchStart;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settings of a {@link Reporter}; {@link #open()} connects and publishes batch_start. */
public final class ReporterBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ReporterBuilder.class);
    /** The id names the spool directory too: no separators, no "..". */
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private String sourceProject;
    private String experimentType;
    private int nTotal = -1;
    private String command;
    private String batchId;
    private String resumeFrom;
    private String gitSha;
    private boolean gitShaSet;
    private Integer maxRestarts;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();

    ReporterBuilder() {
    }

    public ReporterBuilder sourceProject(String sourceProject) {
        this.sourceProject = sourceProject;
        return this;
    }

    public ReporterBuilder experimentType(String experimentType) {
        this.experimentType = experimentType;
        return this;
    }

    /** The number of planned jobs; the batch is done when that many are. */
    public ReporterBuilder nTotal(int nTotal) {
        this.nTotal = nTotal;
        return this;
    }

    /** What relaunches the batch; by default this JVM's command line. */
    public ReporterBuilder command(String command) {
        this.command = command;
        return this;
    }

    /** The batch to report to, for example {@link BatchIds#derive}. */
    public ReporterBuilder batchId(String batchId) {
        this.batchId = batchId;
        return this;
    }

    /** Another name for {@link #batchId}, reading better in a resume; a batch id set as well wins. */
    public ReporterBuilder resumeFrom(String batchId) {
        this.resumeFrom = batchId;
        return this;
    }

    /** The commit; by default {@code git rev-parse HEAD} of the working directory, none without git. */
    public ReporterBuilder gitSha(String gitSha) {
        this.gitSha = gitSha;
        this.gitShaSet = true;
        return this;
    }

    /** Restarts allowed per job after its first attempt; the backend's default (3) when not set. */
    public ReporterBuilder maxRestarts(int maxRestarts) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
        }
        this.maxRestarts = maxRestarts;
        return this;
    }

    public ReporterBuilder label(String key, String value) {
        labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public ReporterBuilder labels(Map<String, String> labels) {
        labels.forEach(this::label);
        return this;
    }

    /** One setting (README lists them), over the file and the environment. */
    public ReporterBuilder config(String key, String value) {
        settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Settings from properties, over the file and the environment. */
    public ReporterBuilder config(Properties properties) {
        properties.stringPropertyNames().forEach(key -> config(key, properties.getProperty(key)));
        return this;
    }

    /** The environment to read {@code ARGUS_*} variables from; {@link System#getenv()} by default. */
    public ReporterBuilder environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    public ReporterBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Opens the spool (re-sending first what an earlier Reporter left in it), connects, publishes batch_start and
     * starts the heartbeats.
     */
    public Reporter open() {
        requireText(sourceProject, "sourceProject");
        requireText(experimentType, "experimentType");
        if (nTotal < 0) {
            throw new IllegalArgumentException("nTotal (the number of planned jobs) must be set and >= 0");
        }
        String id = resolveBatchId();
        ReporterConfig config = ReporterConfig.load(environment, settings);
        Optional<QueryClient> query = config.queryUrl()
            .map(url -> new QueryClient(url, config.find(ReporterConfig.API_TOKEN)));
        Spool spool = Spool.open(config.spoolRoot().resolve(id), config.getLong(ReporterConfig.SPOOL_MAX_BYTES));
        Transport transport;
        try {
            transport = transport(config, id);
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
        Outbox outbox = new Outbox(transport, spool, config.getMillis(ReporterConfig.DONE_TIMEOUT_MS),
            config.getMillis("delivery.timeout.ms").plusSeconds(5), id);
        Events events = new Events(id, Events.producerName(UUID.randomUUID().toString().substring(0, 8)), clock);
        BatchStart start = new BatchStart(sourceProject, experimentType, nTotal, command(), gitSha(), maxRestarts,
            Map.copyOf(labels));
        LOG.info("Reporting batch {} ({} jobs planned) to {}", id, nTotal, transport.describe());
        return Reporter.start(id, nTotal, maxRestarts, config, outbox, query, events, start);
    }

    private String resolveBatchId() {
        if (batchId != null && resumeFrom != null && !batchId.equals(resumeFrom)) {
            LOG.warn("Both batchId {} and resumeFrom {} are set; using batchId {}", batchId, resumeFrom, batchId);
        }
        String id = batchId != null ? batchId : resumeFrom;
        if (id == null) {
            throw new IllegalArgumentException("set batchId(...) (for example BatchIds.derive(project, experiment))"
                + " or resumeFrom(...)");
        }
        if (!BATCH_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a batch id is 1 to 200 letters, digits, '.', '_' or '-', not starting"
                + " with '.', got '" + id + "'");
        }
        return id;
    }

    private static Transport transport(ReporterConfig config, String batchId) {
        String kind = config.get(ReporterConfig.TRANSPORT).strip().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "kafka":
                return new KafkaTransport(config.kafkaSettings(), config.serdeSettings(),
                    config.get(ReporterConfig.TOPICS_PREFIX) + ArgusTopics.EVENTS, "argus-reporter-" + batchId);
            case "http":
                return new HttpTransport(config.queryUrl().orElseThrow(() -> new IllegalArgumentException(
                    ReporterConfig.TRANSPORT + "=http needs " + ReporterConfig.QUERY_URL + " (ARGUS_QUERY_URL)")),
                    config.find(ReporterConfig.API_TOKEN));
            default:
                throw new IllegalArgumentException(ReporterConfig.TRANSPORT + " must be kafka or http, got '" + kind
                    + "'");
        }
    }

    private String command() {
        if (command != null) {
            return command;
        }
        return ProcessHandle.current().info().commandLine()
            .orElse("java " + System.getProperty("sun.java.command", ""));
    }

    private String gitSha() {
        return gitShaSet ? gitSha : GitSha.ofWorkingDirectory().orElse(null);
    }

    static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
