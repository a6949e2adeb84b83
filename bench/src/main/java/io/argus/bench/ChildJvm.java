package io.argus.bench;

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
import java.util.concurrent.TimeUnit;

/**
 * A main class of this classpath run in a child JVM: the service, the bare count and the load generator each run
 * in a process of their own, as they would in production, so their CPU, memory and latency are their own. Output
 * (stdout and stderr) goes to a log file.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
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
                Path log = logDir.resolve(name + ".log");
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
                // The service reads ARGUS_* settings: none may leak in from the shell the bench runs in.
                builder.environment().keySet().removeIf(key -> key.startsWith("ARGUS_"));
                builder.environment().putAll(env);
                return new ChildJvm(name, builder.start(), log);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
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

    /** Resident memory now (VmRSS), in MiB; empty once the process is gone. */
    public Optional<Double> rssMiB() {
        return statusKiB("VmRSS").map(kib -> kib / 1024.0);
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

    /** Waits for the child to exit on its own; fails with its log's tail past the deadline. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; log "
                    + log + ":\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines of its log, for error messages. */
    public String tail() {
        List<String> lines = List.of(output().split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** SIGTERM (the service leaves its group and closes its stores), then SIGKILL if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
