package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry started and stopped on its own: closing twice is harmless, a failed start is fast and says why. */
class RegistryLifecycleTest {

    @Test
    void aRegistryStopsItsProcessAndClosesTwiceHarmlessly(@TempDir Path workDir) throws Exception {
        ApicurioRegistry registry = ApicurioRegistry.start(ApicurioDistribution.locate(), workDir);
        CcompatHttp http = new CcompatHttp();
        assertThat(http.get(registry.baseUrl() + "/health/ready").status()).isEqualTo(200);

        registry.close();
        registry.close();

        assertThat(registry.isRunning()).isFalse();
        assertThatThrownBy(() -> http.get(registry.baseUrl() + "/health/ready"))
                .isInstanceOf(ConnectException.class);
        assertThat(Files.readString(registry.logFile())).contains("Listening on: " + registry.baseUrl());
    }

    @Test
    void aRegistryThatCannotStartFailsFastWithItsLog(@TempDir Path home, @TempDir Path workDir) throws Exception {
        Files.writeString(home.resolve("apicurio-registry-app-0.0.0-runner.jar"), "not a jar");
        ApicurioDistribution broken = ApicurioDistribution.at(home);
        long started = System.nanoTime();

        assertThatThrownBy(() -> ApicurioRegistry.start(broken, workDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped before it was ready")
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("Invalid or corrupt jarfile");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ApicurioRegistry.DEFAULT_READY_TIMEOUT);
    }
}
