package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.registry.RegistryClientConfig;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** A writer-schema lookup on the stream thread ends while the fold's transaction is still open. */
class RegistryWithinTransactionTest {

    @Test
    void underExactlyOnceOneCallTakesAtMostHalfTheTransactionTimeout() {
        Map<String, String> settings = ArgusStreams.registrySettingsWithin(config(Map.of()));
        assertThat(settings).containsEntry(RegistryClientConfig.CALL_TIMEOUT_MS, "5000")
            .containsEntry(RegistryClientConfig.REQUEST_TIMEOUT_MS, "5000");
        assertThat(RegistryClientConfig.fromMap(settings).callTimeout().toMillis()).isEqualTo(5000);
    }

    @Test
    void aLongerTransactionTimeoutAllowsTheConfiguredDeadlineAndShorterOnesAreKept() {
        assertThat(ArgusStreams.registrySettingsWithin(config(Map.of("producer.transaction.timeout.ms", "120000"))))
            .containsEntry(RegistryClientConfig.CALL_TIMEOUT_MS, "30000")
            .containsEntry(RegistryClientConfig.REQUEST_TIMEOUT_MS, "10000");
        assertThat(ArgusStreams.registrySettingsWithin(config(Map.of(RegistryClientConfig.CALL_TIMEOUT_MS, "2000"))))
            .containsEntry(RegistryClientConfig.CALL_TIMEOUT_MS, "2000")
            .containsEntry(RegistryClientConfig.REQUEST_TIMEOUT_MS, "2000");
    }

    @Test
    void atLeastOnceHasNoTransactionToFitIn() {
        assertThat(ArgusStreams.registrySettingsWithin(config(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.AT_LEAST_ONCE)))).doesNotContainKey(RegistryClientConfig.CALL_TIMEOUT_MS);
    }

    private static ArgusConfig config(Map<String, String> overrides) {
        return ArgusConfig.load(Optional.empty(), Map.of()).with(overrides);
    }
}
