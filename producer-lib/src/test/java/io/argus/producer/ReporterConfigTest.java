package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers: defaults, then ARGUS_CONFIG_FILE, then the environment, then the builder. */
class ReporterConfigTest {

    @Test
    void theEnvironmentNamesTheServicesAndPassesKafkaSettingsThrough() {
        ReporterConfig config = ReporterConfig.load(Map.of(
            "ARGUS_KAFKA_BOOTSTRAP", "kafka-1:9093",
            "ARGUS_REGISTRY_URL", "http://registry:8081",
            "ARGUS_QUERY_URL", "http://argus:8080/",
            "ARGUS_SPOOL_DIR", "/var/spool/argus",
            "ARGUS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "ARGUS_KAFKA_SASL_MECHANISM", "PLAIN",
            "PATH", "/usr/bin"), Map.of());

        assertThat(config.kafkaSettings()).containsEntry("bootstrap.servers", "kafka-1:9093")
            .containsEntry("security.protocol", "SASL_SSL")
            .containsEntry("sasl.mechanism", "PLAIN")
            .containsEntry("max.block.ms", "2000")
            .doesNotContainKeys("argus.registry.url", "path");
        assertThat(config.serdeSettings()).containsEntry("argus.registry.url", "http://registry:8081");
        assertThat(config.queryUrl()).hasValueSatisfying(url -> assertThat(url).hasToString("http://argus:8080"));
        assertThat(config.spoolRoot()).isEqualTo(Path.of("/var/spool/argus"));
    }

    @Test
    void theBuilderWinsOverTheEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("argus.properties"),
            "bootstrap.servers=from-file:9092\nargus.heartbeat.interval.ms=1000\nlinger.ms=50\n");
        ReporterConfig config = ReporterConfig.load(Map.of(
            "ARGUS_CONFIG_FILE", file.toString(),
            "ARGUS_KAFKA_BOOTSTRAP", "from-env:9092",
            "ARGUS_HEARTBEAT_INTERVAL_MS", "2000"), Map.of("argus.heartbeat.interval.ms", "3000"));

        assertThat(config.get("bootstrap.servers")).isEqualTo("from-env:9092");
        assertThat(config.getMillis(ReporterConfig.HEARTBEAT_INTERVAL_MS).toMillis()).isEqualTo(3000);
        assertThat(config.get("linger.ms")).isEqualTo("50");
    }

    @Test
    void badValuesNameTheirKey() {
        ReporterConfig config = ReporterConfig.load(Map.of("ARGUS_DONE_TIMEOUT_MS", "soon"), Map.of());
        assertThatThrownBy(() -> config.getMillis(ReporterConfig.DONE_TIMEOUT_MS))
            .hasMessageContaining("argus.done.timeout.ms").hasMessageContaining("soon");
        assertThatThrownBy(() -> ReporterConfig.load(Map.of("ARGUS_CONFIG_FILE", "/no/such/file"), Map.of()))
            .hasMessageContaining("/no/such/file");
    }
}
