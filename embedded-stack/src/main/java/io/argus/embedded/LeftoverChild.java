package io.argus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file of a child process that owns a working directory. A parent killed with SIGKILL runs no shutdown
 * hook, so its child lives on, holding the directory (the registry's H2 database lock): the next start would fail.
 * The next parent reads the pid file and stops that leftover first, if it is still alive and still works in the
 * same directory (a recycled pid belongs to some other process, which is left alone).
 */
final class LeftoverChild {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverChild.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path pidFile;
    private final Path workDir;

    LeftoverChild(Path workDir, String fileName) {
        this.workDir = workDir;
        this.pidFile = workDir.resolve(fileName);
    }

    /** Stops the process the pid file names, when it is alive and runs in the working directory. */
    void stopIfRunning(String name) {
        Optional<ProcessHandle> leftover = recordedPid().flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(this::worksInDirectory);
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle process = leftover.get();
        LOG.warn("Stopping {} (pid {}) left running in {} by a process that did not stop cleanly", name,
            process.pid(), workDir);
        // Nothing waits for its answers any more, and it must not make the start wait: killed at once.
        process.destroyForcibly();
        if (!exited(process)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") left running in " + workDir
                + " does not stop; kill it, then start again");
        }
    }

    void record(long pid) {
        try {
            Files.writeString(pidFile, Long.toString(pid), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + pidFile, e);
        }
    }

    void forget() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", pidFile, e);
        }
    }

    private Optional<Long> recordedPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Linux tells a process's working directory; elsewhere the pid file alone has to do. */
    private boolean worksInDirectory(ProcessHandle process) {
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        try {
            return Files.readSymbolicLink(cwd).equals(workDir.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            return !Files.isDirectory(Path.of("/proc", "self"));
        }
    }

    private static boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
