package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RebuildConfigTest {

    @Test
    void aRebuildCommitsOnceASecondUnderItsNewApplicationId() {
        ArgusConfig rebuild = StreamsCommand.rebuildConfig(ArgusConfig.load(Optional.empty(), Map.of()), "argus-v2");

        assertThat(rebuild.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("argus-v2");
        assertThat(rebuild.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("1000");
        assertThat(rebuild.streamsProperties()).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    }

    @Test
    void aConfiguredCommitIntervalWins() {
        ArgusConfig loaded = ArgusConfig.load(Optional.empty(), Map.of("ARGUS_KAFKA_COMMIT_INTERVAL_MS", "250"));

        assertThat(StreamsCommand.rebuildConfig(loaded, "argus-v2").get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
            .isEqualTo("250");
    }
}
