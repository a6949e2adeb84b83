package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the registry answers, as a Confluent client sees it; one registry for the class, each test its own subject. */
class ApicurioRegistryTest {

    private static final String RUN_V1 = """
            {"type":"record","name":"Run","namespace":"io.argus.test",
             "fields":[{"name":"id","type":"string"}]}""";
    /** The same schema as RUN_V1, only laid out differently. */
    private static final String RUN_V1_REFORMATTED = """
            {
              "type": "record",
              "name": "Run",
              "namespace": "io.argus.test",
              "fields": [ { "name": "id", "type": "string" } ]
            }""";
    /** A new required field: a reader of this version cannot read v1 data, so BACKWARD rejects it. */
    private static final String RUN_V2_INCOMPATIBLE = """
            {"type":"record","name":"Run","namespace":"io.argus.test",
             "fields":[{"name":"id","type":"string"},{"name":"host","type":"string"}]}""";
    /** A new field with a default: BACKWARD compatible. */
    private static final String RUN_V2_COMPATIBLE = """
            {"type":"record","name":"Run","namespace":"io.argus.test",
             "fields":[{"name":"id","type":"string"},{"name":"host","type":"string","default":"unknown"}]}""";

    private static ApicurioRegistry registry;
    private final CcompatHttp http = new CcompatHttp();

    @BeforeAll
    static void startRegistry(@TempDir Path workDir) {
        registry = ApicurioRegistry.start(ApicurioDistribution.locate(), workDir);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void answersReadyOnLoopback() throws Exception {
        assertThat(registry.baseUrl()).startsWith("http://127.0.0.1:");

        CcompatHttp.Response ready = http.get(registry.baseUrl() + "/health/ready");

        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void globalCompatibilityIsBackward() throws Exception {
        CcompatHttp.Response config = http.get(registry.confluentApiUrl() + "/config");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void theSameSchemaGetsTheSameIdEvenWhenReformatted() throws Exception {
        String subject = "run-reformatted-value";

        CcompatHttp.Response first = http.register(registry.confluentApiUrl(), subject, RUN_V1);
        CcompatHttp.Response again = http.register(registry.confluentApiUrl(), subject, RUN_V1);
        CcompatHttp.Response reformatted = http.register(registry.confluentApiUrl(), subject, RUN_V1_REFORMATTED);

        assertThat(first.status()).isEqualTo(200);
        int id = first.body().path("id").asInt(-1);
        assertThat(id).isPositive();
        assertThat(again.body().path("id").asInt(-1)).isEqualTo(id);
        assertThat(reformatted.body().path("id").asInt(-1)).isEqualTo(id);
        CcompatHttp.Response byId = http.get(registry.confluentApiUrl() + "/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.body().path("schema").asText()).contains("\"Run\"");
    }

    @Test
    void backwardCompatibilityIsEnforced() throws Exception {
        String subject = "run-evolved-value";
        assertThat(http.register(registry.confluentApiUrl(), subject, RUN_V1).status()).isEqualTo(200);

        CcompatHttp.Response rejected = http.register(registry.confluentApiUrl(), subject, RUN_V2_INCOMPATIBLE);
        CcompatHttp.Response accepted = http.register(registry.confluentApiUrl(), subject, RUN_V2_COMPATIBLE);

        assertThat(rejected.status()).isEqualTo(409);
        assertThat(accepted.status()).isEqualTo(200);
        CcompatHttp.Response versions = http.get(registry.confluentApiUrl() + "/subjects/" + subject + "/versions");
        assertThat(versions.body()).hasSize(2);
    }
}
