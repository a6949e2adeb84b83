package io.argus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Argus query service ({@code argus serve}: the fold and HTTP in one JVM, as deployed) in a child process
 * against the bench's broker and registry, with its own application id, state directory and HTTP port.
 */
public final class ArgusServiceProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "io.argus.query.ArgusMain";

    private final ChildJvm child;
    private final Path stateDir;
    private final String baseUrl;
    private final ServiceHttp http;

    private ArgusServiceProcess(ChildJvm child, Path stateDir, String baseUrl) {
        this.child = child;
        this.stateDir = stateDir;
        this.baseUrl = baseUrl;
        this.http = new ServiceHttp(baseUrl);
    }

    /**
     * Starts the service; it creates the topics under {@code topicsPrefix} unless they exist (with P partitions).
     *
     * @param settings more {@code ARGUS_*} environment variables, for example {@code ARGUS_KAFKA_COMMIT_INTERVAL_MS}
     */
    public static ArgusServiceProcess start(BenchContext context, String applicationId, String topicsPrefix,
                                            int partitions, Map<String, String> settings) {
        Path stateDir = context.workDir().resolve("state").resolve(applicationId);
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ARGUS_KAFKA_BOOTSTRAP", context.stack().bootstrapServers());
        env.put("ARGUS_REGISTRY_URL", context.stack().registryUrl());
        env.put("ARGUS_APPLICATION_ID", applicationId);
        env.put("ARGUS_STATE_DIR", stateDir.toString());
        env.put("ARGUS_HTTP_PORT", Integer.toString(port));
        env.put("ARGUS_TOPICS_PREFIX", topicsPrefix);
        env.put("ARGUS_TOPICS_PARTITIONS", Integer.toString(partitions));
        env.put("ARGUS_TOPICS_REPLICATION_FACTOR", "1");
        env.put("ARGUS_KAFKA_REPLICATION_FACTOR", "1");
        env.putAll(context.options().serviceSettings());
        env.putAll(settings);
        Path logs = context.workDir().resolve("logs");
        ChildJvm.Builder builder = ChildJvm.of("service-" + applicationId, MAIN_CLASS).heap("2g").args("serve")
            .env(env);
        context.options().serviceJvmOptions().forEach(builder::jvmOption);
        if (context.options().jfr()) {
            builder.jvmOption("-XX:FlightRecorderOptions=stackdepth=256").jvmOption("-XX:StartFlightRecording=filename="
                + logs.resolve("service-" + applicationId + ".jfr") + ",settings=profile");
        }
        ChildJvm child = builder.start(logs);
        return new ArgusServiceProcess(child, stateDir, "http://127.0.0.1:" + port);
    }

    /** Waits until {@code /readyz} answers 200 (the fold runs and has caught up). */
    public ArgusServiceProcess awaitReady(Duration timeout) {
        Waits.until(child + " to be ready", timeout, 50, () -> {
            if (!child.isAlive()) {
                throw new IllegalStateException(child + " exited. " + child.tail());
            }
            return http.status("/readyz") == 200;
        });
        return this;
    }

    /** The bench's own calls to this service (readiness, views, setting a scenario up). */
    public ServiceHttp http() {
        return http;
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public ChildJvm process() {
        return child;
    }

    /** The bytes under its state directory (RocksDB files, checkpoints), in MiB. */
    public double stateDirMiB() {
        if (!Files.exists(stateDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile).mapToLong(ArgusServiceProcess::size).sum() / (1024.0 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + stateDir, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // RocksDB deletes files while it compacts.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Stops it (SIGTERM: HTTP, then the fold leaving its group). The state directory stays until the bench ends. */
    @Override
    public void close() {
        child.close();
    }
}
