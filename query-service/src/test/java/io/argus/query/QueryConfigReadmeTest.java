package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.config.DocumentedKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * query-service/README.md's configuration table documents every key {@link QueryConfig} adds, with its variable and
 * default; a fold key it mentions again (application.server) must agree with the fold's declaration.
 */
class QueryConfigReadmeTest {

    @Test
    void theReadmeDocumentsEveryKeyWithItsVariableAndDefault() {
        assertThat(DocumentedKeys.differences(DocumentedKeys.read(Path.of("README.md")), QueryConfig.keys(),
            QueryConfig.ownKeys().names())).isEmpty();
    }

    @Test
    void theProcessReadsTheFoldsKeysAndItsOwnInTheSameLayers() {
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of(
            "ARGUS_HTTP_PORT", "9090", "ARGUS_TOPICS_PREFIX", "t.", "ARGUS_KAFKA_NUM_STANDBY_REPLICAS", "1"));

        assertThat(config.getInt(QueryConfig.HTTP_PORT)).isEqualTo(9090);
        assertThat(config.get(QueryConfig.TOPICS_PREFIX)).isEqualTo("t.");
        assertThat(config.getMillis(QueryConfig.FORWARD_TIMEOUT_MS)).hasMillis(35_000);
        assertThat(config.with(Map.of(QueryConfig.HTTP_HOST, "0.0.0.0")).get(QueryConfig.HTTP_HOST))
            .isEqualTo("0.0.0.0");
        assertThat(config.streamsProperties()).containsEntry("num.standby.replicas", "1")
            .doesNotContainKeys(QueryConfig.HTTP_PORT, QueryConfig.TOPICS_PREFIX);
    }
}
