package io.argus.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.config.DocumentedKeys.Row;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentedKeysTest {

    private static final List<String> README = List.of(
        "# module",
        "| `not.this` | | `1` | a table of another section |",
        "## Configuration",
        "",
        "| key | environment | default | meaning |",
        "|---|---|---|---|",
        "| `a.b` | `ARGUS_A_B` | `500` (`rebuild`: `1000`) | one key |",
        "| `c`, `d` | `ARGUS_C`, `ARGUS_D` | `65536`, `20` | two keys |",
        "| `e` | (file or builder) | empty | no variable, empty default |",
        "| `f` | `ARGUS_F` | HTTP host and port | no default value |",
        "| `g` | `ARGUS_G` | `x` | |",
        "### Memory",
        "| `not.that` | | `1` | a table of a later section |");

    @Test
    void readsEachKeyOfTheConfigurationSection() {
        assertThat(DocumentedKeys.parse(README)).containsExactly(
            new Row("a.b", Optional.of("ARGUS_A_B"), Optional.of("500"), "one key"),
            new Row("c", Optional.of("ARGUS_C"), Optional.of("65536"), "two keys"),
            new Row("d", Optional.of("ARGUS_D"), Optional.of("20"), "two keys"),
            new Row("e", Optional.empty(), Optional.of(""), "no variable, empty default"),
            new Row("f", Optional.of("ARGUS_F"), Optional.empty(), "no default value"),
            new Row("g", Optional.of("ARGUS_G"), Optional.of("x"), ""));
    }

    @Test
    void namesEveryDifference() {
        ConfigKeys declared = ConfigKeys.builder()
            .key("a.b", "ARGUS_A_B", "500")
            .key("c", "ARGUS_C", "65536")
            .key("d", "ARGUS_D", "21")
            .key("e", "ARGUS_E", "")
            .key("g", "ARGUS_G", "x")
            .key("h", null, null)
            .build();

        assertThat(DocumentedKeys.differences(DocumentedKeys.parse(README), declared, declared.names()))
            .containsExactly(
                "h is not documented",
                "d: documented default '20', declared '21'",
                "e: documented variable none, declared ARGUS_E",
                "f is documented but not declared",
                "g has no meaning documented");
    }
}
