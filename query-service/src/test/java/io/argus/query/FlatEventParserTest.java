package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.query.FlatEventParser.FieldError;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field checks of ingest: numbers kept exactly or refused, ids without control characters, times in range. */
class FlatEventParserTest {

    private final FlatEventParser parser = new FlatEventParser(
        Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), "test");

    @Test
    void metricsAreKeptExactlyOrRefused() {
        assertThat(((JobDone) parse(jobDone("1e29")).getPayload()).getMetrics().get("loss")).isEqualTo(1e29);
        assertThat(((JobDone) parse(jobDone("0.30000000000000004")).getPayload()).getMetrics().get("loss"))
            .isEqualTo(0.1 + 0.2);
        assertThat(errors(jobDone("1e400"))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("metrics");
            assertThat(e.reason()).contains("'loss'", "finite");
        });
        assertThat(errors(jobDone("-1e400"))).extracting(FieldError::field).containsExactly("metrics");
        assertThat(errors(jobDone("1e-400"))).extracting(FieldError::reason)
            .singleElement().asString().contains("cannot be kept exactly");
        assertThat(errors(jobDone("12345678901234567891"))).extracting(FieldError::reason)
            .singleElement().asString().contains("cannot be kept exactly", "1.2345678901234567E19");
    }

    @Test
    void idsWithControlCharactersAreRefused() {
        assertThat(errors("{\"type\":\"job_start\",\"batch_id\":\"b\",\"job_id\":\"a\\u0000b\",\"attempt\":1}"))
            .extracting(FieldError::field).containsExactly("job_id");
        assertThat(errors("{\"type\":\"heartbeat\",\"batch_id\":\"b\\u001b[2J\"}"))
            .extracting(FieldError::field).containsExactly("batch_id");
        assertThat(errors("{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"event_id\":\"e\\n1\"}"))
            .extracting(FieldError::field).containsExactly("event_id");
    }

    @Test
    void timesBeyondYear9999AreRefused() {
        for (String ts : new String[] {"+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z"}) {
            assertThat(errors("{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"ts\":\"" + ts + "\"}")).as(ts)
                .extracting(FieldError::field).containsExactly("ts");
        }
        assertThat(parse("{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"ts\":\"9999-12-31T23:59:59Z\"}").getTs())
            .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    private static String jobDone(String loss) {
        return "{\"type\":\"job_done\",\"batch_id\":\"b\",\"job_id\":\"j\",\"attempt\":1,\"metrics\":{\"loss\":" + loss
            + "}}";
    }

    private ArgusEvent parse(String json) {
        List<FieldError> errors = new ArrayList<>();
        ArgusEvent event = parser.parse(0, JsonBody.values(json.getBytes(StandardCharsets.UTF_8)).get(0), errors);
        assertThat(errors).isEmpty();
        return event;
    }

    private List<FieldError> errors(String json) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(parser.parse(0, JsonBody.values(json.getBytes(StandardCharsets.UTF_8)).get(0), errors)).isNull();
        return errors;
    }
}
