package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.argus.streams.view.ViewJson;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Flat JSON events as launchers post them, for the dashboard's browser tests. */
final class FlatEvents {

    private FlatEvents() {
    }

    /** Posts the events as NDJSON and requires a 200. */
    static void post(ApiClient api, String... events) {
        ApiClient.Answer answer = api.post("/api/events", String.join("\n", events));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    /** A flat event {@code secondsFromNow} seconds from {@code now} (negative: in the past). */
    static String event(Instant now, String type, String batch, long secondsFromNow, Map<String, Object> fields) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.put("batch_id", batch);
        json.put("ts", now.plusSeconds(secondsFromNow).toString());
        json.putAll(fields);
        try {
            return ViewJson.mapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
