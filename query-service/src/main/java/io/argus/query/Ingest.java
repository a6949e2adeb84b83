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

    Ingest(FlatEventParser parser, EventPublisher publisher, Clock clock, long maxBytes, int maxEvents) {
        this.parser = parser;
        this.publisher = publisher;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
    }

    void events(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw tooLarge("the body has " + declared + " bytes; at most " + maxBytes + " are accepted");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw tooLarge("the body has " + body.length + " bytes; at most " + maxBytes + " are accepted");
        }
        List<JsonNode> nodes = readJson(body);
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
        ctx.json(Map.of("accepted", publisher.publish(events)));
    }

    /** {@code POST /api/batches/{batch_id}/stop}, optional body {@code {"reason": ..., "requested_by": ...}}. */
    void stop(Context ctx, String batchId) {
        JsonNode body = ctx.body().isBlank() ? ViewJson.mapper().createObjectNode() : readJson(ctx.bodyAsBytes()).get(0);
        ArgusEvent stop = ArgusEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setBatchId(batchId)
            .setTs(clock.instant())
            .setProducer("query-service")
            .setPayload(new StopRequested(body.path("reason").asText("stop requested over HTTP"),
                body.path("requested_by").asText("anonymous")))
            .build();
        ctx.json(Map.of("accepted", publisher.publish(List.of(stop))));
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
