package io.argus.query.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.query.QueryConfig;
import io.argus.streams.app.CommandTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the commands find the local Argus's stack, without starting one. */
class LocalDataTargetTest {

    @Test
    void withoutLocalDataTheCommandSaysWhatToConfigure(@TempDir Path workDir) {
        Map<String, String> environment = Map.of("ARGUS_DATA_DIR", workDir.resolve("argus-data").toString());

        assertThatThrownBy(() -> LocalDataTarget.open(environment, CommandTarget.Needs.KAFKA,
            new PrintStream(new ByteArrayOutputStream())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no Kafka configured (ARGUS_KAFKA_BOOTSTRAP, ARGUS_REGISTRY_URL, ARGUS_CONFIG_FILE or "
                + "--config) and no local Argus data in " + workDir.resolve("argus-data") + " (ARGUS_DATA_DIR)");
    }

    @Test
    void theEndpointsOfTheProcessHoldingTheDataAreRead(@TempDir Path dataDir) {
        new LocalEndpoints(4242, "127.0.0.1:19092", Optional.of("http://127.0.0.1:35001/apis/ccompat/v7"))
            .write(dataDir);

        LocalEndpoints endpoints = LocalEndpoints.of(dataDir, OptionalLong.of(4242));

        assertThat(endpoints.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(endpoints.registryUrl()).contains("http://127.0.0.1:35001/apis/ccompat/v7");
        QueryConfig config = LocalStack.config(Map.of("ARGUS_APPLICATION_ID", "argus-v2"), dataDir, endpoints);
        assertThat(config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:19092");
        assertThat(config.get(QueryConfig.REGISTRY_URL)).isEqualTo("http://127.0.0.1:35001/apis/ccompat/v7");
        assertThat(config.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(dataDir.resolve("streams").toString());
        assertThat(config.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("argus-v2");
    }

    @Test
    void endpointsLeftByAnotherProcessOrNotWrittenYetAreRefused(@TempDir Path dataDir) throws Exception {
        assertThatThrownBy(() -> LocalEndpoints.of(dataDir, OptionalLong.of(4242)))
            .hasMessageStartingWith("Argus runs on " + dataDir + " (pid 4242) but has not written "
                + "endpoints.properties yet: wait until it has started and try again");

        new LocalEndpoints(1111, "127.0.0.1:19092", Optional.empty()).write(dataDir);
        assertThatThrownBy(() -> LocalEndpoints.of(dataDir, OptionalLong.of(4242)))
            .hasMessageContaining("has not written endpoints.properties yet");

        LocalEndpoints.delete(dataDir);
        assertThat(Files.list(dataDir)).isEmpty();
    }
}
