package io.argus.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.query.FlatEventParser.FieldError;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.StopRequested;
import io.argus.streams.view.ViewJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/events}: one JSON event, a JSON array, or NDJSON. All or nothing: a request with any invalid
 * event is answered 400 with every error (index, field, reason) and nothing of it is produced.
 */
final class Ingest {

    private final FlatEventParser parser;
    private final EventPublisher publisher;
    private final Clock clock;
    private final long maxBytes;
    private final int maxEvents;
    /** How much of an oversized body is drained before answering, as a multiple of the limit. */
    private static final long DRAIN_FACTOR = 16;

    Ingest(FlatEventParser parser, EventPublisher publisher, Clock clock, long maxBytes, int maxEvents) {
        this.parser = parser;
        this.publisher = publisher;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
    }

    void events(Context ctx) {
        List<JsonNode> nodes = readJson(boundedBody(ctx));
        if (nodes.isEmpty()) {
            throw ApiException.badRequest("the body holds no event");
        }
        if (nodes.size() > maxEvents) {
            throw tooLarge(nodes.size() + " events in one request; at most " + maxEvents + " are accepted");
        }
        List<FieldError> errors = new ArrayList<>();
        List<ArgusEvent> events = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            ArgusEvent event = parser.parse(i, nodes.get(i), errors);
            if (event != null) {
                events.add(event);
            }
        }
        if (!errors.isEmpty()) {
            ctx.status(400).json(Map.of("error", "invalid_events",
                "detail", errors.size() + " problem(s); nothing was published", "errors", errors));
            return;
        }
        publish(ctx, events);
    }

    /** {@code POST /api/batches/{batch_id}/stop}, optional body {@code {"reason": ..., "requested_by": ...}}. */
    void stop(Context ctx, String batchId) {
        JsonNode body = stopRequest(boundedBody(ctx));
        ArgusEvent stop = ArgusEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setBatchId(batchId)
            .setTs(clock.instant())
            .setProducer("query-service")
            .setPayload(new StopRequested(body.path("reason").asText("stop requested over HTTP"),
                body.path("requested_by").asText("anonymous")))
            .build();
        publish(ctx, List.of(stop));
    }

    /**
     * Answers with the events' ids in request order, also when Kafka did not acknowledge them all: the 503 may have
     * left any of them in the log, so a client re-sends the same events with these ids, and the fold keeps one
     * copy of each (an id it has seen is a duplicate). Without the ids, a retried event sent without an id would
     * get a new one and count twice.
     */
    private void publish(Context ctx, List<ArgusEvent> events) {
        List<String> ids = events.stream().map(ArgusEvent::getEventId).toList();
        try {
            publisher.publish(events);
        } catch (ApiException e) {
            if (e.status() != 503) {
                throw e;
            }
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            ctx.status(503).json(Map.of("error", e.error(), "detail", e.getMessage()
                + "; some of the events may be in the log already: re-send them all with these event_ids, "
                + "the fold keeps one copy of each", "event_ids", ids));
            return;
        }
        ctx.json(Map.of("accepted", ids));
    }

    /**
     * The body, read up to the limit. An oversized body is still read to its end (up to a bound) before the 413, so
     * a client that sends it whole gets the answer instead of a connection reset in the middle of sending.
     */
    private byte[] boundedBody(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                long extra = drain(in, DRAIN_FACTOR * maxBytes);
                throw tooLarge("the body has more than " + maxBytes + " bytes (at least "
                    + (body.length + extra) + "); at most " + maxBytes + " are accepted");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    /** Reads and drops up to {@code limit} bytes; returns how many there were. */
    private static long drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long drained = 0;
        int read;
        while (drained < limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - drained))) > 0) {
            drained += read;
        }
        return drained;
    }

    /** Nothing, or one JSON object whose {@code reason} and {@code requested_by}, when given, are strings. */
    private static JsonNode stopRequest(byte[] raw) {
        if (new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return ViewJson.mapper().createObjectNode();
        }
        List<JsonNode> values = readJson(raw);
        if (values.size() != 1 || !values.get(0).isObject()) {
            throw ApiException.badRequest("a stop request's body is empty or one JSON object "
                + "{\"reason\": \"...\", \"requested_by\": \"...\"}");
        }
        JsonNode body = values.get(0);
        for (String field : List.of("reason", "requested_by")) {
            if (body.has(field) && !body.get(field).isTextual()) {
                throw ApiException.badRequest(field + " must be a string");
            }
        }
        return body;
    }

    private static List<JsonNode> readJson(byte[] body) {
        ObjectMapper mapper = ViewJson.mapper();
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            if (text.startsWith("[")) {
                List<JsonNode> nodes = new ArrayList<>();
                mapper.readTree(text).forEach(nodes::add);
                return nodes;
            }
            // One object, or NDJSON: a sequence of JSON values.
            try (MappingIterator<JsonNode> values = mapper.readerFor(JsonNode.class).readValues(text)) {
                return values.readAll();
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON, a JSON array or NDJSON: "
                + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(String detail) {
        return new ApiException(413, "payload_too_large", detail);
    }
}
