package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child whose parent was killed is stopped by the next parent, and only if it still works in the directory. */
class LeftoverChildTest {

    @TempDir
    Path workDir;
    @TempDir
    Path elsewhere;
    private Process process;

    @AfterEach
    void killProcess() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void aLeftoverInTheDirectoryIsStopped() throws Exception {
        process = sleeperIn(workDir);
        new LeftoverChild(workDir, "child.pid").record(process.pid());

        new LeftoverChild(workDir, "child.pid").stopIfRunning("sleeper");

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped").isTrue();
    }

    @Test
    void aRecycledPidOfAnotherProcessIsLeftAlone() throws Exception {
        process = sleeperIn(elsewhere);
        new LeftoverChild(workDir, "child.pid").record(process.pid());

        new LeftoverChild(workDir, "child.pid").stopIfRunning("sleeper");

        assertThat(process.isAlive()).isTrue();
    }

    @Test
    void noPidFileOrAGarbledOneIsNotAnError() throws Exception {
        LeftoverChild child = new LeftoverChild(workDir, "child.pid");
        child.stopIfRunning("sleeper");
        Files.writeString(workDir.resolve("child.pid"), "not a pid");
        child.stopIfRunning("sleeper");
        child.forget();
        assertThat(workDir.resolve("child.pid")).doesNotExist();
    }

    private static Process sleeperIn(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path source = Files.writeString(dir.resolve("Sleeper.java"),
            "class Sleeper { public static void main(String[] a) throws Exception { Thread.sleep("
                + Duration.ofMinutes(5).toMillis() + "L); } }");
        return new ProcessBuilder(java, source.toString()).directory(dir.toFile()).start();
    }
}
