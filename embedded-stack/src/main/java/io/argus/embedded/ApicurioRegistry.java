package io.argus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry running as a child JVM on 127.0.0.1, with in-memory storage, canonical-hash schema
 * ids on the Confluent API and global compatibility BACKWARD (Confluent's default; Apicurio's is NONE).
 */
public final class ApicurioRegistry implements AutoCloseable {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
    public static final String LOG_FILE_NAME = "apicurio-registry.log";
    static final String GLOBAL_COMPATIBILITY = "BACKWARD";

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
    /** Quarkus prints the port it really bound; with port 0 that is the only place to learn it. */
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    private static final int LOG_TAIL_LINES = 40;

    private static final String PID_FILE_NAME = "apicurio-registry.pid";

    private final ChildProcess process;
    private final String baseUrl;
    private final Path logFile;
    private final LeftoverChild pidFile;

    private ApicurioRegistry(ChildProcess process, String baseUrl, Path logFile, LeftoverChild pidFile) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    public static ApicurioRegistry start(ApicurioDistribution distribution, Path workDir) {
        return start(distribution, workDir, DEFAULT_READY_TIMEOUT);
    }

    /**
     * Starts the registry with its output in {@code workDir}/{@value #LOG_FILE_NAME} and returns once it is
     * ready and configured. {@code workDir} belongs to this registry: the log file is overwritten, and a registry
     * still running there (its parent JVM was killed) is stopped first.
     */
    public static ApicurioRegistry start(ApicurioDistribution distribution, Path workDir, Duration readyTimeout) {
        return start(distribution, workDir, readyTimeout, List.of());
    }

    /**
     * As {@link #start(ApicurioDistribution, Path)}, with its class-data archive when there is one, listening on
     * {@code port} (0: a port the OS picks at bind time). A fixed port lets a caller hand the registry's address out
     * before the registry is up (see {@link FreePorts#loopbackForLater()}).
     */
    public static ApicurioRegistry start(ApicurioDistribution distribution, Path workDir, RegistryClassData classData,
                                         int port) {
        return start(distribution, workDir, DEFAULT_READY_TIMEOUT, classData.jvmOptions(), port);
    }

    /** The Confluent-compatible API's URL of a registry on {@code port}. */
    public static String confluentApiUrl(int port) {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    static ApicurioRegistry start(ApicurioDistribution distribution, Path workDir, Duration readyTimeout,
                                  List<String> jvmOptions) {
        return start(distribution, workDir, readyTimeout, jvmOptions, 0);
    }

    private static ApicurioRegistry start(ApicurioDistribution distribution, Path workDir, Duration readyTimeout,
                                          List<String> jvmOptions, int port) {
        requireJava(distribution.minimumJavaVersion());
        Path logFile = createWorkDir(workDir).resolve(LOG_FILE_NAME);
        LeftoverChild pidFile = new LeftoverChild(workDir, PID_FILE_NAME);
        pidFile.stopIfRunning("Apicurio Registry");
        ChildProcess process = ChildProcess.start("apicurio-registry", command(distribution, jvmOptions, port),
            workDir, logFile);
        pidFile.record(process.pid());
        try {
            int listening = awaitReady(process, logFile, readyTimeout);
            String baseUrl = "http://127.0.0.1:" + listening;
            setGlobalCompatibility(new ConfluentCompatApi(baseUrl), process);
            LOG.debug("Apicurio Registry (pid {}) ready at {}", process.pid(), baseUrl);
            return new ApicurioRegistry(process, baseUrl, logFile, pidFile);
        } catch (RuntimeException e) {
            process.stop();
            pidFile.forget();
            throw e;
        }
    }

    private static List<String> command(ApicurioDistribution distribution, List<String> jvmOptions, int port) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small heap, serial GC and C1 only: a test registry serves a few schemas, and on a 2-core
                // machine these start faster and leave more CPU to the tests and the broker.
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                // Loopback only, and by default port 0: the OS picks a free port at bind time, so there is no
                // window in which another process can take a port we picked in advance.
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Disabled by default; if a version enables it, it must not bind 0.0.0.0:9000.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=0",
                // The same schema text with different whitespace gets the same id. 2.x and 3.x name the
                // property differently; each ignores the other's name.
                "-Dregistry.ccompat.use-canonical-hash=true",
                "-Dapicurio.ccompat.use-canonical-hash=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", distribution.launcherJar().toString()));
        return command;
    }

    private static int awaitReady(ChildProcess process, Path logFile, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalInt port = OptionalInt.empty();
        ConfluentCompatApi api = null;
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Apicurio Registry stopped before it was ready: "
                            + process.describeExit() + ". " + process.logTail(LOG_TAIL_LINES));
                }
                if (port.isEmpty()) {
                    port = listeningPort(logFile);
                    if (port.isPresent()) {
                        api = new ConfluentCompatApi("http://127.0.0.1:" + port.getAsInt());
                    }
                }
                if (api != null && api.isReady()) {
                    return port.getAsInt();
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("Apicurio Registry was not ready within " + timeout.toSeconds()
                            + " s (port " + (port.isPresent() ? port.getAsInt() : "not yet logged") + "). "
                            + process.logTail(LOG_TAIL_LINES));
                }
                // Returns at once if the process dies, so a failed start is reported without waiting out the rest.
                process.waitForExit(POLL_INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }

    static OptionalInt listeningPort(Path logFile) {
        try {
            for (String line : LogTail.readLines(logFile)) {
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    return OptionalInt.of(Integer.parseInt(matcher.group(1)));
                }
            }
            return OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + logFile, e);
        }
    }

    private static void setGlobalCompatibility(ConfluentCompatApi api, ChildProcess process) {
        try {
            api.setGlobalCompatibility(GLOBAL_COMPATIBILITY);
            String actual = api.globalCompatibility();
            if (!GLOBAL_COMPATIBILITY.equals(actual)) {
                throw new IllegalStateException("Set the registry's global compatibility to " + GLOBAL_COMPATIBILITY
                        + " but it reads back " + actual);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not set the registry's global compatibility. "
                    + process.logTail(LOG_TAIL_LINES), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring Apicurio Registry", e);
        }
    }

    private static void requireJava(int minimum) {
        int running = Runtime.version().feature();
        if (running < minimum) {
            throw new IllegalStateException("This Apicurio Registry distribution needs Java " + minimum
                    + "+, but the tests run on Java " + running + " (" + System.getProperty("java.home") + ")");
        }
    }

    private static Path createWorkDir(Path workDir) {
        try {
            return Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + workDir, e);
        }
    }

    /** {@code http://127.0.0.1:port}; health is at {@code /health/ready}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The Confluent Schema Registry compatible API, for Confluent-wire-format serdes and clients. */
    public String confluentApiUrl() {
        return baseUrl + CONFLUENT_API_PATH;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the child process: asks first, kills after a deadline. Idempotent and thread-safe. */
    @Override
    public void close() {
        close(null);
    }

    /** As {@link #close()}, with {@code grace} (null: the usual deadline) for the JVM to exit once asked. */
    public void close(Duration grace) {
        if (grace == null) {
            process.stop();
        } else {
            process.stop(grace);
        }
        pidFile.forget();
    }
}
