package io.argus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process whose output goes to a log file and which never outlives this JVM: a shutdown hook stops it if
 * nobody else did. An orphaned registry (or bench service) would keep its memory and confuse the next run.
 */
public final class ChildProcess {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread reaper;
    private boolean stopped;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.reaper = new Thread(() -> terminate(process, STOP_TIMEOUT), name + "-reaper");
    }

    static ChildProcess start(String name, List<String> command, Path workDir, Path logFile) {
        return start(name, command, workDir, logFile, environment -> { });
    }

    /** @param environment adjusts the environment the child inherits from this JVM */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path logFile,
                                     Consumer<Map<String, String>> environment) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        environment.accept(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + String.join(" ", command), e);
        }
        ChildProcess child = new ChildProcess(name, process, logFile);
        Runtime.getRuntime().addShutdownHook(child.reaper);
        return child;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits up to {@code timeout} for the process to exit; a pause between polls that ends early on exit. */
    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code of a process that has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    String describeExit() {
        return process.isAlive() ? name + " is still running" : name + " exited with code " + process.exitValue();
    }

    public String logTail(int lines) {
        return "Last lines of " + logFile + ":" + System.lineSeparator() + LogTail.lastLines(logFile, lines);
    }

    /** Idempotent: asks the process to stop, then kills it if it has not stopped within the timeout. */
    public void stop() {
        stop(STOP_TIMEOUT);
    }

    /** As {@link #stop()}, with {@code grace} for the process to exit after it was asked to. */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        terminate(process, grace);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is exiting: the hook runs or has run, and the process is already gone.
        }
    }

    private static void terminate(Process process, Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
