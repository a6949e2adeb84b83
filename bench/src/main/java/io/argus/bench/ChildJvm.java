package io.argus.bench;

import io.argus.embedded.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A main class of this classpath run in a child JVM: the service, the baselines and the load generator each run
 * in a process of their own, as they would in production, so their CPU, memory and latency are their own. The
 * process itself is embedded-stack's {@link ChildProcess}: output to a log file, and stopped with this JVM if the
 * bench ends without stopping it.
 */
public final class ChildJvm implements AutoCloseable {

    private static final int TAIL_LINES = 30;

    private final String name;
    private final ChildProcess process;
    private final Path log;

    private ChildJvm(String name, ChildProcess process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with this JVM's classpath and java binary. */
    public static Builder of(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String heap = "1g";

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        public Builder heap(String maxHeap) {
            this.heap = maxHeap;
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> more) {
            env.putAll(more);
            return this;
        }

        /** Starts it; its output goes to {@code <logDir>/<name>.log}. */
        public ChildJvm start(Path logDir) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + heap);
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(args);
            try {
                Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + logDir, e);
            }
            Path log = logDir.resolve(name + ".log");
            ChildProcess process = ChildProcess.start(name, command, Path.of(System.getProperty("user.dir")), log,
                environment -> {
                    // The service reads ARGUS_* settings: none may leak in from the shell the bench runs in.
                    environment.keySet().removeIf(key -> key.startsWith("ARGUS_"));
                    environment.putAll(env);
                });
            return new ChildJvm(name, process, log);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The log's text, for results a child prints and for errors. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Peak resident memory (VmHWM) so far, in MiB; empty once the process is gone. */
    public Optional<Double> peakRssMiB() {
        return statusKiB("VmHWM").map(kib -> kib / 1024.0);
    }

    private Optional<Long> statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Waits for the child to exit on its own; stops it and fails with its log's tail past the deadline. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitForExit(timeout)) {
                process.stop();
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s. "
                    + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines of its log, for error messages. */
    public String tail() {
        return process.logTail(TAIL_LINES);
    }

    /** SIGTERM (the service leaves its group and closes its stores), then SIGKILL if it hangs. Idempotent. */
    @Override
    public void close() {
        process.stop();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
