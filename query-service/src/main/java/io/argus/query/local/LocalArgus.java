package io.argus.query.local;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import io.argus.embedded.StandaloneKafkaBroker;
import io.argus.query.QueryService;
import io.argus.registry.RegistryClientConfig;
import io.argus.streams.app.ArgusConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Argus in one command: a persistent single-node Kafka broker, the Apicurio registry child process, the fold and
 * the HTTP API, all on loopback, with every byte of state under one data directory. Started in that order and
 * stopped in the reverse one.
 *
 * <pre>
 * argus-data/            ARGUS_DATA_DIR (default ./argus-data, resolved against the working directory)
 *   kafka/               the broker: its lock, config, log directory and metadata log
 *   registry/            the registry's working directory: log, config, H2 database of the schemas
 *   streams/             the fold's RocksDB state
 * </pre>
 */
public final class LocalArgus implements AutoCloseable {

    public static final String DATA_DIR_ENV = "ARGUS_DATA_DIR";
    public static final String KAFKA_PORT_ENV = "ARGUS_EMBEDDED_KAFKA_PORT";
    public static final String DEFAULT_DATA_DIR = "argus-data";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    /** Any of these points Argus at a Kafka and registry of the user's: then it starts none of its own. */
    public static final List<String> EXTERNAL_STACK_ENV =
        List.of("ARGUS_KAFKA_BOOTSTRAP", "ARGUS_REGISTRY_URL", "ARGUS_CONFIG_FILE");

    private static final Duration FOLD_RUNNING_TIMEOUT = Duration.ofSeconds(60);
    /** How long the group waits for a member that went away without a word: 45 s by default. */
    private static final String LOCAL_SESSION_TIMEOUT_MS = "10000";
    private static final String LOCAL_GROUP_INSTANCE_ID = "argus-local";

    private final Path dataDir;
    private final StandaloneKafkaBroker broker;
    private final ApicurioRegistry registry;
    private final QueryService service;
    private final String httpHost;
    private boolean closed;

    private LocalArgus(Path dataDir, StandaloneKafkaBroker broker, ApicurioRegistry registry, QueryService service,
                       String httpHost) {
        this.dataDir = dataDir;
        this.broker = broker;
        this.registry = registry;
        this.service = service;
        this.httpHost = httpHost;
    }

    /** True when the environment names no Kafka, registry or configuration file: run the embedded default. */
    public static boolean isDefaultFor(Map<String, String> environment) {
        return EXTERNAL_STACK_ENV.stream().map(environment::get).allMatch(value -> value == null || value.isBlank());
    }

    /**
     * Starts everything and returns once the fold runs (or a minute passed; then {@code /readyz} tells). Other
     * {@code ARGUS_*} settings of the environment apply (HTTP port and host, API token...), except where Kafka, the
     * registry and the state live.
     *
     * @throws AlreadyRunningException when another Argus uses the same data directory
     */
    public static LocalArgus start(Map<String, String> environment, Clock clock) {
        Path dataDir = dataDir(environment, Path.of(""));
        int kafkaPort = kafkaPort(environment);
        ApicurioDistribution distribution = registryDistribution();
        StandaloneKafkaBroker broker = startBroker(dataDir, kafkaPort);
        ApicurioRegistry registry = null;
        try {
            requireFreeHttpPort(ArgusConfig.load(Optional.empty(), environment));
            registry = ApicurioRegistry.start(distribution, registryWorkDir(dataDir.resolve("registry")));
            ArgusConfig config = config(environment, dataDir, broker, registry);
            QueryService service = startService(config, clock);
            LocalArgus argus = new LocalArgus(dataDir, broker, registry, service, config.get(ArgusConfig.HTTP_HOST));
            try {
                service.fold().awaitRunning(FOLD_RUNNING_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                argus.close();
                throw new IllegalStateException("Interrupted while starting Argus", e);
            }
            return argus;
        } catch (RuntimeException e) {
            stopAfterFailedStart(registry, broker, e);
            throw e;
        }
    }

    private static StandaloneKafkaBroker startBroker(Path dataDir, int kafkaPort) {
        try {
            return StandaloneKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort);
        } catch (StandaloneKafkaBroker.DataDirectoryInUseException e) {
            throw new AlreadyRunningException(dataDir, e);
        } catch (RuntimeException e) {
            if (portTaken(e)) {
                throw new CannotStartException("Port " + kafkaPort + " on 127.0.0.1 is taken by another process "
                    + "(another Kafka?): set " + KAFKA_PORT_ENV + " to a free port", e);
            }
            throw e;
        }
    }

    /** Checked before the registry starts, so a taken port costs no registry start and stop. */
    private static void requireFreeHttpPort(ArgusConfig config) {
        int port = config.getInt(ArgusConfig.HTTP_PORT);
        String host = config.get(ArgusConfig.HTTP_HOST);
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 1);
        } catch (IOException e) {
            throw new CannotStartException("Port " + port + " on " + host + " is taken by another process: set "
                + "ARGUS_HTTP_PORT to a free port", e);
        }
    }

    private static QueryService startService(ArgusConfig config, Clock clock) {
        try {
            return QueryService.start(config, clock);
        } catch (RuntimeException e) {
            if (portTaken(e)) {
                throw new CannotStartException("Port " + config.get(ArgusConfig.HTTP_PORT) + " on "
                    + config.get(ArgusConfig.HTTP_HOST) + " is taken by another process: set ARGUS_HTTP_PORT to a "
                    + "free port", e);
            }
            throw e;
        }
    }

    /** The fold and the API against the embedded stack; the rest of the environment still applies. */
    static ArgusConfig config(Map<String, String> environment, Path dataDir, StandaloneKafkaBroker broker,
                              ApicurioRegistry registry) {
        ArgusConfig fromEnvironment = ArgusConfig.load(Optional.empty(), environment);
        Map<String, String> local = new HashMap<>();
        local.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        local.put(ArgusConfig.REGISTRY_URL, registry.confluentApiUrl());
        local.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toString());
        // One instance per broker: static membership lets a restart (even after kill -9) take over its
        // partitions at once instead of waiting for the dead member's session to expire.
        if (fromEnvironment.find(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG).isEmpty()) {
            local.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, LOCAL_GROUP_INSTANCE_ID);
        }
        if (fromEnvironment.find(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG).isEmpty()) {
            local.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, LOCAL_SESSION_TIMEOUT_MS);
        }
        return fromEnvironment.with(local);
    }

    /** {@value #DATA_DIR_ENV}, else {@value #DEFAULT_DATA_DIR}, against {@code workingDir} when relative. */
    static Path dataDir(Map<String, String> environment, Path workingDir) {
        String configured = environment.get(DATA_DIR_ENV);
        Path dir = Path.of(configured == null || configured.isBlank() ? DEFAULT_DATA_DIR : configured.strip());
        return workingDir.toAbsolutePath().resolve(dir).normalize();
    }

    static int kafkaPort(Map<String, String> environment) {
        String configured = environment.get(KAFKA_PORT_ENV);
        if (configured == null || configured.isBlank()) {
            return DEFAULT_KAFKA_PORT;
        }
        try {
            int port = Integer.parseInt(configured.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KAFKA_PORT_ENV + " must be a port number (1-65535), got '"
                + configured + "'", e);
        }
    }

    /**
     * The registry unpacked next to the running jar ({@code target/apicurio-<version>} beside
     * {@code target/argus.jar}, or beside {@code target/classes}), else the one {@link ApicurioDistribution#locate()}
     * names through {@code -Dargus.apicurio.home} or {@code ARGUS_APICURIO_HOME}.
     */
    static ApicurioDistribution registryDistribution() {
        Optional<Path> besideJar = codeLocation().flatMap(LocalArgus::unpackedRegistryBeside);
        if (besideJar.isPresent()) {
            return ApicurioDistribution.at(besideJar.get());
        }
        try {
            return ApicurioDistribution.locate();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("No Apicurio Registry distribution next to "
                + codeLocation().map(Path::toString).orElse("the Argus jar") + " (build it with `mvn -B package "
                + "-DskipTests`: it unpacks one into query-service/target/apicurio-<version>) and none configured: "
                + e.getMessage(), e);
        }
    }

    private static Optional<Path> codeLocation() {
        CodeSource source = LocalArgus.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A directory {@code apicurio-*} holding a launcher, beside the jar (or the classes directory). */
    static Optional<Path> unpackedRegistryBeside(Path code) {
        Path dir = code.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "apicurio-*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && hasLauncher(entry)) {
                    candidates.add(entry);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        // Several versions side by side after an upgrade: the highest name is the newest.
        return candidates.stream().max(Path::compareTo);
    }

    private static boolean hasLauncher(Path home) {
        try {
            ApicurioDistribution.at(home);
            return true;
        } catch (IllegalStateException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The registry keeps its schemas in an H2 file under the data directory instead of in memory, so schema ids
     * in Kafka records stay resolvable after a restart. Quarkus reads {@code config/application.properties} in the
     * working directory, which {@link ApicurioRegistry} sets to {@code workDir}.
     */
    static Path registryWorkDir(Path workDir) {
        Path configDir = workDir.resolve("config");
        Properties settings = new Properties();
        settings.setProperty("%prod.quarkus.datasource.jdbc.url",
            "jdbc:h2:file:" + workDir.toAbsolutePath().resolve("db").resolve("registry"));
        try {
            Files.createDirectories(configDir);
            try (OutputStream out = Files.newOutputStream(configDir.resolve("application.properties"))) {
                settings.store(out, "Written by Argus at every start: the registry's schemas persist in db/");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the registry's directory " + workDir, e);
        }
        return workDir;
    }

    private static void stopAfterFailedStart(ApicurioRegistry registry, StandaloneKafkaBroker broker,
                                             RuntimeException failure) {
        for (AutoCloseable started : new AutoCloseable[] {registry, broker}) {
            if (started == null) {
                continue;
            }
            try {
                started.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Kafka and Jetty both wrap the BindException; Kafka's message keeps its text. */
    private static boolean portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException
                || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** Where the dashboard is, e.g. {@code http://127.0.0.1:8080/}. */
    public String dashboardUrl() {
        String host = httpHost.equals("0.0.0.0") ? "127.0.0.1" : httpHost;
        return "http://" + host + ":" + service.port() + "/";
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The Confluent-compatible API of the registry, for launchers that serialize themselves. */
    public String registryUrl() {
        return registry.confluentApiUrl();
    }

    public Path dataDir() {
        return dataDir;
    }

    public int httpPort() {
        return service.port();
    }

    public boolean foldRunning() {
        return service.fold().streams().state() == KafkaStreams.State.RUNNING;
    }

    /** The lines a user needs: where to look, where to publish, how to stop. */
    public void printBanner(PrintStream out) {
        out.println();
        out.println("Argus is running (data in " + dataDir + ")");
        out.println("  dashboard  " + dashboardUrl());
        out.println("  kafka      " + bootstrapServers() + "   (bootstrap.servers for launchers)");
        out.println("  registry   " + registryUrl());
        out.println("Ctrl-C stops it; the data stays for the next start (delete " + dataDir + " to reset).");
        out.println();
        out.flush();
    }

    /**
     * Stops HTTP and the fold (leaving its group, so the next start does not wait for a session timeout), then the
     * broker, then the registry. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (AutoCloseable part : new AutoCloseable[] {service, broker, registry}) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Argus did not stop cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A start refused for a reason the user can fix; the message says how. */
    public static class CannotStartException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CannotStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Another Argus runs on the same data directory. */
    public static final class AlreadyRunningException extends CannotStartException {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(Path dataDir, StandaloneKafkaBroker.DataDirectoryInUseException cause) {
            super("Argus is already running on " + dataDir
                + (cause.ownerPid().isPresent() ? " (pid " + cause.ownerPid().getAsLong() + ")" : "")
                + ". Stop it first (Ctrl-C), or set " + DATA_DIR_ENV + " to another directory.", cause);
        }
    }
}
