package io.argus.producer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * An event as the query service's {@code POST /api/events} takes it: flat, the envelope and the payload's fields at
 * the top level, {@code type} the wire name, {@code ts} ISO-8601. JSON has no NaN or infinity, so such metric
 * values are left out. Public so that tools (the bench's load generator) post exactly what the SDK posts.
 */
public final class FlatJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FlatJson() {
    }

    /** One event as a single line of JSON. */
    public static String line(ArgusEvent event) {
        return of(event).toString();
    }

    static ObjectNode of(ArgusEvent event) {
        SpecificRecordBase payload = (SpecificRecordBase) event.getPayload();
        ObjectNode json = NODES.objectNode();
        json.put("type", EventType.ofPayload(payload).orElseThrow(() -> new IllegalArgumentException(
            "not an Argus payload: " + payload.getClass())).wireName());
        json.put("event_id", event.getEventId());
        json.put("batch_id", event.getBatchId());
        json.put("ts", event.getTs().toString());
        json.put("producer", event.getProducer());
        for (Schema.Field field : payload.getSchema().getFields()) {
            put(json, field.name(), payload.get(field.pos()));
        }
        return json;
    }

    private static void put(ObjectNode json, String name, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = json.putObject(name);
            map.forEach((key, entry) -> put(object, key.toString(), entry));
        } else if (value instanceof Double number) {
            if (Double.isFinite(number)) {
                json.put(name, number);
            }
        } else if (value instanceof Integer number) {
            json.put(name, number);
        } else if (value instanceof Long number) {
            json.put(name, number);
        } else {
            // Strings, and enum symbols (BatchOutcome, Verdict) by their names.
            json.put(name, value.toString());
        }
    }
}
