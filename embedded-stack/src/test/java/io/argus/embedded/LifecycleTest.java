package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start and stop components of their own, so closing them cannot disturb the shared stack. */
class LifecycleTest {

    @Test
    void aClusterClosesOnceAndDeletesItsData(@TempDir Path baseDir) throws Exception {
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(baseDir, Map.of());
        cluster.createTopic(TestNames.unique("before-close"), 1, Map.of());
        assertThat(dataDirectories(baseDir)).isEqualTo(1);

        // Two threads at once, then once more: only one reaches the kit's non-idempotent close.
        CompletableFuture.allOf(CompletableFuture.runAsync(cluster::close), CompletableFuture.runAsync(cluster::close))
                .join();
        cluster.close();

        assertThat(dataDirectories(baseDir)).isZero();
        assertThatThrownBy(cluster::admin).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

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

    private static long dataDirectories(Path baseDir) throws IOException {
        try (var entries = Files.list(baseDir)) {
            return entries.filter(Files::isDirectory).count();
        }
    }
}
