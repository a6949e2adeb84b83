package io.argus.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive (AppCDS) of the registry's JVM, kept in a directory that outlives it (the local Argus's data).
 * The registry is a Quarkus application that loads thousands of classes at start: with the archive it was ready in
 * about 2 s instead of 4-6 s on 2 cores, which is most of a restart after a crash. The archive is written once, by a
 * throw-away registry run in the background after the first start (recording slows a start down, so the registry
 * that serves never records). It belongs to one JDK: a new one writes its own. A JVM that cannot use an archive (a
 * moved jar) warns in the registry's log and starts without it.
 */
public final class RegistryClassData {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryClassData.class);
    private static final Duration RECORDING_READY_TIMEOUT = Duration.ofMinutes(3);
    /**
     * The JVM writes the archive (some 60 MB) as it exits: seconds on an idle machine, more than the usual 10 s
     * stop deadline on a busy one, and a recorder killed before it is done leaves no archive.
     */
    private static final Duration RECORDING_EXIT_TIMEOUT = Duration.ofMinutes(2);

    private final Path archive;
    /**
     * Where the recording registry runs: under the kept directory, so that a recorder orphaned by a killed parent is
     * stopped by the next recording ({@link LeftoverChild}).
     */
    private final Path recordingDir;

    /** The archive for this JDK in {@code dir}. */
    public RegistryClassData(Path dir) {
        this.recordingDir = dir.resolve("class-data-recording");
        this.archive = dir.resolve("registry-classes-" + Runtime.version().feature() + "-"
            + Runtime.version().update() + ".jsa");
    }

    /** The JVM options that use the archive, none while it does not exist. */
    List<String> jvmOptions() {
        return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto") : List.of();
    }

    /** Writes the archive in the background unless it exists: a registry is started, reaches ready and stops. */
    public void recordInBackground(ApicurioDistribution distribution) {
        if (Files.isRegularFile(archive)) {
            return;
        }
        Thread recorder = new Thread(() -> record(distribution), "registry-class-data");
        recorder.setDaemon(true);
        recorder.start();
    }

    private void record(ApicurioDistribution distribution) {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try {
            // The registry writes the archive as its JVM exits, so it is stopped (SIGTERM) once ready.
            ApicurioRegistry.start(distribution, recordingDir, RECORDING_READY_TIMEOUT,
                List.of("-XX:ArchiveClassesAtExit=" + partial)).close(RECORDING_EXIT_TIMEOUT);
            if (Files.isRegularFile(partial)) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("Wrote the registry's class-data archive {}: later starts are faster", archive);
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("Could not write the registry's class-data archive (starts stay slower): {}", e.toString());
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", file, e);
        }
    }
}
