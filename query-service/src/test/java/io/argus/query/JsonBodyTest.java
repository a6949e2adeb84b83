package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request bodies: strict UTF-8, bounded nesting, and details in plain words. */
class JsonBodyTest {

    @Test
    void nestingIsBoundedAt64LevelsWithAPlainDetail() {
        assertThat(JsonBody.values(bytes("[".repeat(64) + "]".repeat(64)))).hasSize(1);
        for (int depth : new int[] {65, 1_001}) {
            assertThatThrownBy(() -> JsonBody.values(bytes("[".repeat(depth) + "]".repeat(depth))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("nested more than 64 levels deep")
                        .doesNotContain("StreamReadConstraints", "`");
                });
        }
    }

    @Test
    void parserSwitchesNeverAppearInADetail() {
        for (String body : new String[] {"{\"a\": NaN}", "{\"a\": 1} // note", "{'a': 1}", "{\"a\": 01}",
            "{\"a\": \"x\u0000\"}", "{\"a\": +1}", "{\"a\": Infinity}"}) {
            assertThatThrownBy(() -> JsonBody.values(bytes(body))).as(body)
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                    .startsWith("the body is not JSON").doesNotContain("Feature", "`", "enable", "com.fasterxml")
                    .contains("line 1, column"));
        }
    }

    @Test
    void truncatedTrailingAndRepeatedFieldsAreRefused() {
        assertThatThrownBy(() -> JsonBody.values(bytes("{\"type\": \"heartbeat\""))).hasMessageContaining(
            "ends before it is complete");
        assertThatThrownBy(() -> JsonBody.values(bytes("[{\"a\": 1}] x"))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> JsonBody.values(bytes("{\"type\": \"a\", \"type\": \"b\"}")))
            .hasMessageContaining("Duplicate field 'type'");
    }

    @Test
    void invalidUtf8IsRefusedWithItsByteOffsetAndField() {
        byte[] body = bytes("{\"type\": \"job_start\", \"job_id\": \"ab\u00ffcd\"}");
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf("ab") + 2;
        body[at] = (byte) 0xFF;
        body[at + 1] = (byte) 0x41;
        assertThatThrownBy(() -> JsonBody.values(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("the body is not valid UTF-8: invalid byte 0xFF at byte offset " + at
                + ", in the value of field 'job_id'");
        });
        // An encoded surrogate (CESU-8) is not UTF-8 either.
        assertThatThrownBy(() -> JsonBody.values(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
            .hasMessageContaining("not valid UTF-8").hasMessageContaining("byte offset 1");
    }

    @Test
    void ndjsonAndArraysAndBlankBodies() {
        assertThat(JsonBody.values(bytes("{\"a\":1}\n{\"a\":2}\n"))).hasSize(2);
        assertThat(JsonBody.values(bytes("  [{\"a\":1},{\"a\":2.5}]"))).hasSize(2);
        assertThat(JsonBody.isBlank(bytes(" \r\n\t"))).isTrue();
        assertThat(JsonBody.values(bytes(""))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
