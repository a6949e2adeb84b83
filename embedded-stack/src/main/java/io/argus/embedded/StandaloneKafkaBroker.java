package io.argus.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.argus.lock.OwnerLock;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent one-node Kafka (KRaft, combined broker and controller) inside this JVM, for the local Argus: unlike
 * the test stack's throw-away cluster, its data stays in the given directory and survives restarts with the same
 * cluster id.
 *
 * <p>The directory holds {@value #LOCK_FILE} (locked while the broker runs, with the owner's pid), the
 * {@value #CONFIG_FILE} it was started with, and the log directory {@value #LOG_DIR} (records, metadata log,
 * {@code meta.properties}). Two processes on one data directory would corrupt it, so a second start fails at once.
 */
public final class StandaloneKafkaBroker implements AutoCloseable {

    static final String LOCK_FILE = "argus-kafka.lock";
    static final String CONFIG_FILE = "server.properties";
    static final String LOG_DIR = "logs";
    static final String META_PROPERTIES = "meta.properties";

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Path dataDir;
    private final String clusterId;
    private final String bootstrapServers;
    private final KafkaRaftServer server;
    private final OwnerLock lock;
    private boolean closed;

    private StandaloneKafkaBroker(Path dataDir, String clusterId, String bootstrapServers, KafkaRaftServer server,
            OwnerLock lock) {
        this.dataDir = dataDir;
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
        this.server = server;
        this.lock = lock;
    }

    /** Starts a broker on {@code 127.0.0.1:port} with its data in {@code dataDir}; returns once it serves clients. */
    public static StandaloneKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with broker settings over the one-node defaults of
     * {@link SingleNodeKafkaSettings}.
     *
     * @throws DataDirectoryInUseException when another broker (in this or another process) runs on {@code dataDir}
     */
    public static StandaloneKafkaBroker start(Path dataDir, int port, Map<String, String> brokerOverrides) {
        return start(dataDir, port, brokerOverrides, () -> { });
    }

    /**
     * As {@link #start(Path, int, Map)}, running {@code whenLocked} as soon as the data directory is this process's:
     * what else owns the directory's neighbours (the local Argus's registry) may start then, beside the broker.
     */
    public static StandaloneKafkaBroker start(Path dataDir, int port, Map<String, String> brokerOverrides,
                                              Runnable whenLocked) {
        long started = System.nanoTime();
        Path dir = dataDir.toAbsolutePath().normalize();
        createDirectories(dir);
        OwnerLock lock = lock(dir);
        KafkaRaftServer server = null;
        try {
            whenLocked.run();
            requireFree(port);
            Path logDir = dir.resolve(LOG_DIR);
            Properties config = config(logDir, port, FreePorts.loopback(), brokerOverrides);
            Path configFile = writeConfig(dir.resolve(CONFIG_FILE), config);
            Optional<String> existingId = clusterIdOf(logDir);
            String clusterId = existingId.orElseGet(() -> Uuid.randomUuid().toString());
            if (existingId.isEmpty()) {
                format(configFile, clusterId);
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + port;
            awaitServing(bootstrap, clusterId);
            LOG.debug("Kafka {} at {} ({} data in {}) ready in {} ms", clusterId, bootstrap,
                    existingId.isPresent() ? "existing" : "new", dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new StandaloneKafkaBroker(dir, clusterId, bootstrap, server, lock);
        } catch (RuntimeException | Error e) {
            if (server != null) {
                stop(server, e);
            }
            release(lock);
            throw e;
        }
    }

    /**
     * Two brokers on one data directory would corrupt it. The OS drops the lock when the process dies, so a crash
     * (even {@code kill -9}) never leaves a stale lock behind.
     */
    private static OwnerLock lock(Path dir) {
        Path file = dir.resolve(LOCK_FILE);
        try {
            return OwnerLock.acquire(file);
        } catch (OwnerLock.HeldException e) {
            throw new DataDirectoryInUseException(dir, e.ownerPid());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lock " + file, e);
        }
    }

    /** Idempotent; a failure is logged, not thrown, so that it never hides why the broker stopped. */
    private static void release(OwnerLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock on the Kafka data directory", e);
        }
    }

    private static Properties config(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        // A static one-voter quorum: the voter's address lives in this config, not in the metadata log, so the
        // controller may take another free port on every start.
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir.toString());
        Map<String, String> settings = new LinkedHashMap<>();
        // After a crash (kill -9) the restarted controller keeps the old broker incarnation registered until its
        // session expires, and the broker waits for that before it serves: 9 s by default, 3.7 s of a restart at
        // 3 s. Heartbeats stay inside this process, so a short session costs nothing; three fit in one, so a late
        // heartbeat (a GC pause, a busy machine) does not fence the broker.
        settings.put("broker.session.timeout.ms", "1500");
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.putAll(overrides);
        config.putAll(SingleNodeKafkaSettings.brokerConfig(settings));
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** Formats the log directory for a new cluster, at the latest production metadata version. */
    private static void format(Path configFile, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString(),
                "--ignore-formatted", "--release-version", MetadataVersion.latestProduction().version()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Could not format the Kafka storage for " + configFile + ": "
                    + output.toString(StandardCharsets.UTF_8).strip(), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka storage for " + configFile + " failed (exit code "
                    + exitCode + "): " + output.toString(StandardCharsets.UTF_8).strip());
        }
        LOG.debug("Formatted {}: {}", configFile, output.toString(StandardCharsets.UTF_8).strip());
    }

    /** The cluster id a previous start wrote to {@code meta.properties}, if the directory is formatted. */
    static Optional<String> clusterIdOf(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + meta, e);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id: the Kafka data in " + logDir
                    + " is damaged. Delete the directory to start with an empty broker.");
        }
        return Optional.of(clusterId.strip());
    }

    /**
     * {@code startup()} returns before the broker has caught up with the metadata log and been unfenced; clients
     * started earlier would retry. Waits until it answers and lists itself as a live broker.
     */
    private static void awaitServing(String bootstrap, String clusterId) {
        Map<String, Object> settings = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(settings)) {
            DescribeClusterOptions options = new DescribeClusterOptions()
                    .timeoutMs((int) ADMIN_CALL_TIMEOUT.toMillis());
            Await.condition("the Kafka broker at " + bootstrap + " to serve clients", READY_TIMEOUT, () -> {
                var cluster = admin.describeCluster(options);
                return clusterId.equals(cluster.clusterId().get()) && !cluster.nodes().get().isEmpty();
            });
        }
    }

    private static void stop(KafkaRaftServer server, Throwable startFailure) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            startFailure.addSuppressed(e);
        }
    }

    /** Says which port is taken before Kafka does so in a page of stack trace (and before any formatting). */
    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As Kafka binds: connections of a previous run in TIME_WAIT do not make the port taken.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is taken by another process", e);
        }
    }

    private static Path writeConfig(Path file, Properties config) {
        try (OutputStream out = Files.newOutputStream(file)) {
            config.store(out, "Written by Argus at every start of its standalone Kafka broker; edits are overwritten");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Kafka data directory " + dir, e);
        }
    }

    /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The cluster id, the same across restarts on one data directory. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and controller and releases the data directory; the data stays. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            release(lock);
        }
        LOG.debug("Kafka at {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Another broker, in this process or another, runs on the data directory. */
    public static final class DataDirectoryInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final Path dataDir;
        private final transient OptionalLong ownerPid;

        DataDirectoryInUseException(Path dataDir, OptionalLong ownerPid) {
            super("Kafka is already running on " + dataDir
                    + (ownerPid.isPresent() ? " (pid " + ownerPid.getAsLong() + ")" : "")
                    + ": stop that process first, or use another data directory");
            this.dataDir = dataDir;
            this.ownerPid = ownerPid;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The pid the owner wrote into the lock file, when it could be read. */
        public OptionalLong ownerPid() {
            return ownerPid;
        }
    }
}
