package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The fold's consumer batches a trickle of small events unless the operator configured its fetching. */
class FoldFetchDefaultsTest {

    @Test
    void theMainConsumerWaitsForABatchOrTwentyMilliseconds() {
        Map<String, Object> consumer = mainConsumer(Map.of());

        assertThat(consumer).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536")
            .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    }

    @Test
    void aSettingForAllClientsEveryConsumerOrTheMainConsumerWins() {
        assertThat(mainConsumer(Map.of("ARGUS_KAFKA_FETCH_MAX_WAIT_MS", "5")))
            .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        assertThat(mainConsumer(Map.of("ARGUS_KAFKA_CONSUMER_FETCH_MAX_WAIT_MS", "6")))
            .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "6");
        assertThat(mainConsumer(Map.of("ARGUS_KAFKA_MAIN_CONSUMER_FETCH_MIN_BYTES", "1")))
            .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1")
            .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    }

    @Test
    void restoringIsNotHeldBack() {
        StreamsConfig streams = new StreamsConfig(ArgusStreams.streamsProperties(
            ArgusConfig.load(Optional.empty(), Map.of())));

        assertThat(streams.getRestoreConsumerConfigs("restore"))
            .doesNotContainEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20")
            .doesNotContainEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
    }

    private static Map<String, Object> mainConsumer(Map<String, String> environment) {
        StreamsConfig streams = new StreamsConfig(ArgusStreams.streamsProperties(
            ArgusConfig.load(Optional.empty(), environment)));
        return streams.getMainConsumerConfigs("argus", "argus-consumer", 0);
    }
}
