package io.argus.bench.http;

import java.nio.charset.StandardCharsets;

/** The body of one {@code POST /api/events}: one JSON event, or NDJSON of several (one a line). */
record PostBody(String contentType, byte[] bytes, int events) {

    /** {@code text} holds {@code events} flat JSON events, one a line. */
    static PostBody of(String text, int events) {
        return new PostBody(events == 1 ? "application/json" : "application/x-ndjson",
            text.getBytes(StandardCharsets.UTF_8), events);
    }
}
