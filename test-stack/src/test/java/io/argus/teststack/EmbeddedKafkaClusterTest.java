package io.argus.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster of its own, so closing it cannot disturb the shared stack. */
class EmbeddedKafkaClusterTest {

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

    private static long dataDirectories(Path baseDir) throws IOException {
        try (var entries = Files.list(baseDir)) {
            return entries.filter(Files::isDirectory).count();
        }
    }
}
