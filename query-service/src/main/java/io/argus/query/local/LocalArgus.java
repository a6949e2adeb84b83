package io.argus.query.local;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.StandaloneKafkaBroker;
import io.argus.query.QueryConfig;
import io.argus.query.QueryService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Argus in one command: the local stack of one data directory (a persistent single-node Kafka broker and the
 * Apicurio registry child process: {@link LocalStack}), the fold and the HTTP API, all on loopback, with every byte
 * of state under the data directory ({@code ARGUS_DATA_DIR}, default {@code ./argus-data}, resolved against the
 * working directory). Started in that order and stopped in the reverse one.
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

    private final LocalStack stack;
    private final QueryService service;
    private final String httpHost;
    private final StartTimes startTimes;
    private boolean closed;

    /**
     * How long each part took to start, for the start line: where a slow start went. The registry starts beside
     * Kafka and the fold once Kafka serves, so the start took the longer of Kafka plus the fold, and the registry.
     */
    public record StartTimes(long kafkaMillis, long registryMillis, long foldMillis) {
        @Override
        public String toString() {
            return "Kafka " + kafkaMillis + " ms, then the fold " + foldMillis + " ms; beside them the registry "
                + registryMillis + " ms";
        }
    }

    private LocalArgus(LocalStack stack, QueryService service, String httpHost, StartTimes startTimes) {
        this.stack = stack;
        this.service = service;
        this.httpHost = httpHost;
        this.startTimes = startTimes;
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
        ApicurioDistribution distribution = LocalStack.registryDistribution();
        long started = System.nanoTime();
        // Once the data directory is ours (else "already running" says more), and before the registry starts.
        LocalStack stack = LocalStack.startKafkaAndRegistry(dataDir, kafkaPort, distribution,
            () -> requireFreeHttpPort(QueryConfig.load(Optional.empty(), environment)));
        long kafkaReady = System.nanoTime();
        try {
            // The registry's address is known while it starts: the fold restores its stores and joins its group
            // meanwhile, and needs the registry only for the first record whose schema it has not read yet.
            QueryConfig config = config(environment, stack);
            QueryService service = startService(config, clock);
            LocalArgus argus;
            try {
                service.fold().awaitRunning(FOLD_RUNNING_TIMEOUT);
                long foldMillis = millis(System.nanoTime() - kafkaReady);
                long registryMillis = stack.awaitRegistry();
                argus = new LocalArgus(stack, service, config.get(QueryConfig.HTTP_HOST), new StartTimes(
                    millis(kafkaReady - started), registryMillis, foldMillis));
                stack.recordRegistryClassData(distribution);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CloseAll.inOrder("Argus did not stop cleanly", service, stack);
                throw new IllegalStateException("Interrupted while starting Argus", e);
            } catch (RuntimeException e) {
                CloseAll.inOrder("Argus did not stop cleanly", service);
                throw e;
            }
            return argus;
        } catch (RuntimeException e) {
            stopAfterFailedStart(stack, e);
            throw e;
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** The HTTP port must be free before anything starts. */
    private static void requireFreeHttpPort(QueryConfig config) {
        int port = config.getInt(QueryConfig.HTTP_PORT);
        String host = config.get(QueryConfig.HTTP_HOST);
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

    private static QueryService startService(QueryConfig config, Clock clock) {
        try {
            return QueryService.start(config, clock);
        } catch (RuntimeException e) {
            if (LocalStack.portTaken(e)) {
                throw new CannotStartException("Port " + config.get(QueryConfig.HTTP_PORT) + " on "
                    + config.get(QueryConfig.HTTP_HOST) + " is taken by another process: set ARGUS_HTTP_PORT to a "
                    + "free port", e);
            }
            throw e;
        }
    }

    /** The fold and the API against the local stack; the rest of the environment still applies. */
    static QueryConfig config(Map<String, String> environment, LocalStack stack) {
        QueryConfig local = LocalStack.config(environment, stack.dataDir(), stack.endpoints());
        Map<String, String> membership = new HashMap<>();
        // One instance per broker: static membership lets a restart (even after kill -9) take over its
        // partitions at once instead of waiting for the dead member's session to expire.
        if (local.find(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG).isEmpty()) {
            membership.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, LOCAL_GROUP_INSTANCE_ID);
        }
        if (local.find(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG).isEmpty()) {
            membership.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, LOCAL_SESSION_TIMEOUT_MS);
        }
        // The broker is ours and dies with the fold: a transaction it forgot across a kill -9 is closed here.
        if (!environment.containsKey("ARGUS_TRANSACTIONS_HANGING")) {
            membership.put(QueryConfig.TRANSACTIONS_HANGING, "abort");
        }
        return local.with(membership);
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

    private static void stopAfterFailedStart(LocalStack stack, RuntimeException failure) {
        try {
            stack.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Where the dashboard is, e.g. {@code http://127.0.0.1:8080/}. */
    public String dashboardUrl() {
        String host = httpHost.equals("0.0.0.0") ? "127.0.0.1" : httpHost;
        return "http://" + host + ":" + service.port() + "/";
    }

    public String bootstrapServers() {
        return stack.endpoints().bootstrapServers();
    }

    /** The Confluent-compatible API of the registry, for launchers that serialize themselves. */
    public String registryUrl() {
        return stack.endpoints().registryUrl().orElseThrow();
    }

    public Path dataDir() {
        return stack.dataDir();
    }

    public int httpPort() {
        return service.port();
    }

    public StartTimes startTimes() {
        return startTimes;
    }

    public boolean foldRunning() {
        return service.fold().streams().state() == KafkaStreams.State.RUNNING;
    }

    /** The lines a user needs: where to look, where to publish, how to stop. */
    public void printBanner(PrintStream out) {
        out.println();
        out.println("Argus is running (data in " + dataDir() + ")");
        out.println("  dashboard  " + dashboardUrl());
        out.println("  kafka      " + bootstrapServers() + "   (bootstrap.servers for launchers)");
        out.println("  registry   " + registryUrl());
        out.println("Ctrl-C stops it; the data stays for the next start (delete " + dataDir() + " to reset).");
        out.println();
        out.flush();
    }

    /**
     * Stops HTTP and the fold (leaving its group, so the next start does not wait for a session timeout), then the
     * local stack: the broker, then the registry. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CloseAll.inOrder("Argus did not stop cleanly", service, stack);
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

        private final transient OptionalLong ownerPid;

        AlreadyRunningException(Path dataDir, StandaloneKafkaBroker.DataDirectoryInUseException cause) {
            super("Argus is already running on " + dataDir
                + (cause.ownerPid().isPresent() ? " (pid " + cause.ownerPid().getAsLong() + ")" : "")
                + ". Stop it first (Ctrl-C), or set " + DATA_DIR_ENV + " to another directory.", cause);
            this.ownerPid = cause.ownerPid();
        }

        /** The process that runs it, when its lock file said. */
        public OptionalLong ownerPid() {
            return ownerPid;
        }
    }
}
