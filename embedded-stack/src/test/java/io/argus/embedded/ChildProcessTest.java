package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a child: asked first, and given the grace it was promised to finish its exit work. */
class ChildProcessTest {

    @Test
    void aStoppedChildFinishesWhatItDoesOnExitWithinItsGrace() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "child");
        ChildProcess child = slowExit(dir);

        child.stop(Duration.ofSeconds(30));

        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).as("it exited by itself, not killed").isZero();
        assertThat(dir.resolve("exited")).exists();
    }

    @Test
    void aChildPastItsGraceIsKilled() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "child");
        ChildProcess child = slowExit(dir);

        child.stop(Duration.ofMillis(300));

        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isNotZero();
        assertThat(dir.resolve("exited")).doesNotExist();
    }

    /** Like a JVM writing its class-data archive on exit: the work after SIGTERM takes two seconds. */
    private static ChildProcess slowExit(Path dir) {
        ChildProcess child = ChildProcess.start("slow-exit", List.of("sh", "-c",
            "trap 'sleep 2; touch exited; exit 0' TERM; touch ready; while true; do sleep 0.1; done"), dir,
            dir.resolve("child.log"));
        Await.condition("the child to start", Duration.ofSeconds(10), () -> Files.exists(dir.resolve("ready")));
        return child;
    }
}
