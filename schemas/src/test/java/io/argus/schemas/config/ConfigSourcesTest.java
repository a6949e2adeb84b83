package io.argus.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @Test
    void namedVariablesMapToKeysAndOtherKafkaVariablesPassThrough() {
        Map<String, String> values = ConfigSources.fromEnvironment(Map.of(
                "ARGUS_KAFKA_BOOTSTRAP", "k1:9092",
                "ARGUS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "ARGUS_KAFKA_", "ignored",
                "HOME", "/root"),
            Map.of("ARGUS_KAFKA_BOOTSTRAP", "bootstrap.servers"));

        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
            "bootstrap.servers", "k1:9092",
            "security.protocol", "SASL_SSL"));
    }

    @Test
    void aFileIsReadTrimmedAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("argus.properties"), "a = 1  \nb=two\n");

        assertThat(ConfigSources.readFile(file)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "two"));
        assertThatThrownBy(() -> ConfigSources.readFile(dir.resolve("nope.properties")))
            .hasMessageContaining("nope.properties").hasMessageContaining("does not exist");
    }

    @Test
    void typedGettersNameTheKeyAndTheBadValue() {
        Settings settings = new Settings(Map.of("n", "12", "bad", "twelve", "flag", "yes", "blank", "  ")) {
        };

        assertThat(settings.getInt("n")).isEqualTo(12);
        assertThat(settings.find("blank")).isEmpty();
        assertThat(settings.find("absent")).isEmpty();
        assertThatThrownBy(() -> settings.getLong("bad")).hasMessage("bad must be a whole number, got 'twelve'");
        assertThatThrownBy(() -> settings.getBoolean("flag")).hasMessage("flag must be true or false, got 'yes'");
        assertThatThrownBy(() -> settings.get("absent")).hasMessage("missing configuration key absent");
        assertThat(settings.getMillis("n")).hasMillis(12);
        assertThatThrownBy(() -> new Settings(Map.of("t", "0")) {
        }.getMillis("t")).hasMessage("t must be > 0, got 0");
    }

    @Test
    void defaultsThenTheFileThenTheEnvironment(@TempDir Path dir) throws Exception {
        ConfigKeys keys = ConfigKeys.builder()
            .key("a", "ARGUS_A", "default-a")
            .key("b", null, "default-b")
            .key("c", "ARGUS_C", null)
            .keyDefaultedWhereRead("d", null, "applied-later")
            .build();
        Path file = Files.writeString(dir.resolve("argus.properties"), "a=file-a\nb=file-b\n");

        Map<String, String> values = ConfigSources.layered(keys, Optional.empty(),
            Map.of("ARGUS_CONFIG_FILE", file.toString(), "ARGUS_A", "env-a", "ARGUS_KAFKA_LINGER_MS", "5"));

        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of("a", "env-a", "b", "file-b", "linger.ms", "5"));
        assertThat(ConfigSources.layered(keys, Optional.empty(), Map.of()))
            .containsExactlyInAnyOrderEntriesOf(Map.of("a", "default-a", "b", "default-b"));
    }

    @Test
    void aKeyIsDeclaredOnce() {
        ConfigKeys one = ConfigKeys.builder().key("a", null, "1").build();

        assertThatThrownBy(() -> one.plus(one)).hasMessage("a is declared twice");
        assertThat(one.plus(ConfigKeys.builder().key("b", "ARGUS_B", null).build()).names()).containsExactly("a", "b");
    }
}
