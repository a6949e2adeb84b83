package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.query.FlatEventParser.FieldError;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.StopRequested;
import io.argus.streams.view.ViewJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/events}: one JSON event, a JSON array, or NDJSON. Validation is all or nothing: a request with any
 * invalid event is answered 400 with every error (index, field, reason) and nothing of it is produced. Publishing is
 * not: a 503 may have left some of the events in the log, so it lists their ids for the client to re-send.
 */
final class Ingest {

    private final FlatEventParser parser;
    private final EventPublisher publisher;
    private final Clock clock;
    private final long maxBytes;
    private final int maxEvents;
    /** How much of an oversized body is drained before answering, as a multiple of the limit. */
    private static final long DRAIN_FACTOR = 16;
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/x-ndjson",
        "application/jsonl", "application/json-seq", "text/plain");

    Ingest(FlatEventParser parser, EventPublisher publisher, Clock clock, long maxBytes, int maxEvents) {
        this.parser = parser;
        this.publisher = publisher;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
    }

    void events(Context ctx) {
        requireJsonContentType(ctx);
        List<JsonNode> nodes = JsonBody.values(boundedBody(ctx));
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
        requireJsonContentType(ctx);
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
            throw ApiException.badRequest("the body could not be read (the connection ended or stalled)");
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
        if (JsonBody.isBlank(raw)) {
            return ViewJson.mapper().createObjectNode();
        }
        List<JsonNode> values = JsonBody.values(raw);
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

    /**
     * A body is JSON or NDJSON. A request that declares another media type (a form, XML, multipart) is refused with
     * 415 rather than parsed as JSON; no declared type, or text/plain as some tools send, is read as JSON.
     */
    private static void requireJsonContentType(Context ctx) {
        String declared = ctx.header("Content-Type");
        if (declared == null || declared.isBlank()) {
            return;
        }
        String[] parts = declared.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = JSON_TYPES.contains(type) || (type.startsWith("application/") && type.endsWith("+json"));
        if (!json) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type '" + type + "' is not accepted; "
                + "send application/json or application/x-ndjson");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2
                && !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw new ApiException(415, "unsupported_media_type", "the body must be UTF-8, got charset "
                    + parameter[1].strip());
            }
        }
    }

    private static ApiException tooLarge(String detail) {
        return new ApiException(413, "payload_too_large", detail);
    }
}
