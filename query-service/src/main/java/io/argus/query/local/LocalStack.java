package io.argus.query.local;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import io.argus.embedded.FreePorts;
import io.argus.embedded.RegistryClassData;
import io.argus.embedded.StandaloneKafkaBroker;
import io.argus.query.QueryConfig;
import io.argus.streams.topology.StateSerde;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka broker and the schema registry of a local data directory, for the local Argus and for the commands run
 * on its data ({@code rebuild}, {@code verify}). The broker starts first and holds the directory's lock; both write
 * where they listen to {@value LocalEndpoints#FILE}. Stopped in the reverse order.
 *
 * <pre>
 * argus-data/              ARGUS_DATA_DIR
 *   kafka/                 the broker: its lock, config, log directory and metadata log
 *   registry/              the registry's working directory: log, config, H2 database of the schemas
 *   streams/               the fold's RocksDB state, one directory per application id
 *   endpoints.properties   while the stack runs: its pid, Kafka's and the registry's addresses
 * </pre>
 */
final class LocalStack implements AutoCloseable {

    static final String KAFKA_DIR = "kafka";
    static final String REGISTRY_DIR = "registry";
    static final String STREAMS_DIR = "streams";

    private final Path dataDir;
    private final StandaloneKafkaBroker broker;
    private ApicurioRegistry registry;
    /** Where the registry listens: known before it answers when it was started beside the broker. */
    private String registryUrl;
    /** The registry being started beside the broker, until {@link #awaitRegistry()} took it. */
    private CompletableFuture<StartedRegistry> registryStart = CompletableFuture.completedFuture(null);
    private boolean closed;

    private LocalStack(Path dataDir, StandaloneKafkaBroker broker) {
        this.dataDir = dataDir;
        this.broker = broker;
    }

    /**
     * Starts the broker on {@code 127.0.0.1:kafkaPort}.
     *
     * @throws LocalArgus.AlreadyRunningException when another process runs the stack of {@code dataDir}
     * @throws LocalArgus.CannotStartException when the port is taken
     */
    static LocalStack startKafka(Path dataDir, int kafkaPort) {
        LocalStack stack = new LocalStack(dataDir, startBroker(dataDir, kafkaPort));
        stack.endpoints().write(dataDir);
        return stack;
    }

    /**
     * Starts the broker and, beside it, the registry on a port picked now: the registry only once the broker holds
     * the data directory's lock, since it may stop a registry a killed Argus left running there
     * ({@code ApicurioRegistry}). Returns once the broker serves. The registry's address is known already
     * ({@link #endpoints()}), so the fold can start (restore its stores, join its group) while the registry starts;
     * {@link #awaitRegistry()} waits for it.
     *
     * @param whenLocked checks that must pass before the registry starts, once the data directory is ours
     */
    static LocalStack startKafkaAndRegistry(Path dataDir, int kafkaPort, ApicurioDistribution distribution,
                                            Runnable whenLocked) {
        int registryPort = FreePorts.loopbackForLater();
        long started = System.nanoTime();
        CompletableFuture<StartedRegistry> registry = new CompletableFuture<>();
        StandaloneKafkaBroker broker;
        try {
            broker = startBroker(dataDir, kafkaPort, () -> {
                whenLocked.run();
                new Thread(() -> {
                    try {
                        ApicurioRegistry ready = startRegistry(dataDir, distribution, registryPort);
                        registry.complete(new StartedRegistry(ready, (System.nanoTime() - started) / 1_000_000));
                    } catch (RuntimeException e) {
                        registry.completeExceptionally(e);
                    }
                }, "argus-registry-start").start();
            });
        } catch (RuntimeException e) {
            // The registry started only if the lock was ours: stop it, or it would outlive this failed start.
            registry.thenAccept(StartedRegistry::close);
            throw e;
        }
        LocalStack stack = new LocalStack(dataDir, broker);
        stack.registryUrl = ApicurioRegistry.confluentApiUrl(registryPort);
        stack.registryStart = registry;
        return stack;
    }

    /** The registry started beside the broker, and how long it took from the start of the stack. */
    private record StartedRegistry(ApicurioRegistry registry, long millis) implements AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }

    /**
     * Waits for the registry started beside the broker; from then on the endpoints file names it too.
     *
     * @return how long the registry took to answer, from the start of the stack
     */
    long awaitRegistry() {
        StartedRegistry started;
        try {
            started = registryStart.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        registry = started.registry();
        endpoints().write(dataDir);
        return started.millis();
    }

    private static StandaloneKafkaBroker startBroker(Path dataDir, int kafkaPort) {
        return startBroker(dataDir, kafkaPort, () -> { });
    }

    private static StandaloneKafkaBroker startBroker(Path dataDir, int kafkaPort, Runnable whenLocked) {
        try {
            return StandaloneKafkaBroker.start(dataDir.resolve(KAFKA_DIR), kafkaPort, Map.of(), whenLocked);
        } catch (StandaloneKafkaBroker.DataDirectoryInUseException e) {
            throw new LocalArgus.AlreadyRunningException(dataDir, e);
        } catch (LocalArgus.CannotStartException e) {
            throw e;
        } catch (RuntimeException e) {
            if (portTaken(e)) {
                throw new LocalArgus.CannotStartException("Port " + kafkaPort + " on 127.0.0.1 is taken by another "
                    + "process (another Kafka?): set " + LocalArgus.KAFKA_PORT_ENV + " to a free port", e);
            }
            throw e;
        }
    }

    /** Starts the registry after the broker, with its schemas kept under the data directory. */
    void startRegistry(ApicurioDistribution distribution) {
        registry = startRegistry(dataDir, distribution, 0);
        registryUrl = registry.confluentApiUrl();
        endpoints().write(dataDir);
    }

    /** On {@code port}, or a port the OS picks when it is 0. */
    private static ApicurioRegistry startRegistry(Path dataDir, ApicurioDistribution distribution, int port) {
        Path workDir = registryWorkDir(dataDir.resolve(REGISTRY_DIR));
        return ApicurioRegistry.start(distribution, workDir, new RegistryClassData(workDir), port);
    }

    /**
     * Writes the registry's class-data archive in the background, unless it exists. Called once Argus is ready:
     * recording starts a second registry, which would slow the start it is meant to speed up.
     */
    void recordRegistryClassData(ApicurioDistribution distribution) {
        new RegistryClassData(dataDir.resolve(REGISTRY_DIR)).recordInBackground(distribution);
    }

    LocalEndpoints endpoints() {
        return new LocalEndpoints(ProcessHandle.current().pid(), broker.bootstrapServers(),
            Optional.ofNullable(registryUrl));
    }

    Path dataDir() {
        return dataDir;
    }

    /**
     * Argus's configuration against a local stack: the environment's settings, except where Kafka, the registry and
     * the fold's state are.
     */
    /**
     * The local Argus's application id names the state layout, so that a new layout is folded again from the log on
     * the first start of a new version, by itself, instead of refusing the old state (a deployed service does the
     * same roll-out explicitly: docs/operations.md).
     */
    public static final String APPLICATION_ID = "argus-layout-" + StateSerde.FORMAT;

    static QueryConfig config(Map<String, String> environment, Path dataDir, LocalEndpoints endpoints) {
        Map<String, String> local = new HashMap<>();
        if (!environment.containsKey("ARGUS_APPLICATION_ID")) {
            local.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        }
        local.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        endpoints.registryUrl().ifPresent(url -> local.put(QueryConfig.REGISTRY_URL, url));
        local.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve(STREAMS_DIR).toString());
        return QueryConfig.load(Optional.empty(), environment).with(local);
    }

    /**
     * The registry unpacked next to the running jar ({@code target/apicurio-<version>} beside
     * {@code target/argus.jar}, or beside {@code target/classes}), else the one {@link ApicurioDistribution#locate()}
     * names through {@code -Dargus.apicurio.home} or {@code ARGUS_APICURIO_HOME}.
     */
    static ApicurioDistribution registryDistribution() {
        Optional<Path> besideJar = codeLocation().flatMap(LocalStack::unpackedRegistryBeside);
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
        CodeSource source = LocalStack.class.getProtectionDomain().getCodeSource();
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

    /** Kafka and Jetty both wrap the BindException; Kafka's message keeps its text. */
    static boolean portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException
                || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the endpoints, then stops the broker, then the registry. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A registry still starting is stopped once it is up.
        registryStart.thenAccept(started -> {
            if (started != null && started.registry() != registry) {
                started.close();
            }
        });
        CloseAll.inOrder("The local Kafka and registry did not stop cleanly", () -> LocalEndpoints.delete(dataDir),
            broker, registry);
    }
}
