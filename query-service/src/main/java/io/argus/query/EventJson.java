package io.argus.query;

import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The flat JSON form of an event, shared by ingest and the events history: {@code type} (the wire name),
 * {@code event_id}, {@code batch_id}, {@code ts} (ISO-8601), {@code producer}, and the payload's fields at the top.
 */
final class EventJson {

    private EventJson() {
    }

    static Map<String, Object> toMap(ArgusEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", EventType.ofPayload(event.getPayload()).map(EventType::wireName).orElse("unknown"));
        json.put("event_id", event.getEventId());
        json.put("batch_id", event.getBatchId());
        json.put("ts", event.getTs().toString());
        json.put("producer", event.getProducer());
        if (event.getPayload() instanceof SpecificRecord payload) {
            for (Schema.Field field : payload.getSchema().getFields()) {
                Object value = payload.get(field.pos());
                json.put(field.name(), value instanceof Enum<?> symbol ? symbol.name() : value);
            }
        }
        return json;
    }
}
