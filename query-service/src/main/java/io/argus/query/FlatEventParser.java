package io.argus.query;

import io.argus.schemas.AvroTrust;
import com.fasterxml.jackson.databind.JsonNode;
import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.EventValidator;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Turns one flat JSON event ({@code {"type":"job_done","batch_id":"b1","job_id":"j","attempt":1,...}}) into an
 * {@link ArgusEvent}, checking every field against the payload's Avro schema and then the fold's invariants, and
 * collecting every problem with its field instead of stopping at the first.
 */
final class FlatEventParser {

    /** A problem with one field of one event of a request. */
    record FieldError(int index, String field, String reason) {
    }

    private static final Set<String> ENVELOPE_FIELDS = Set.of("type", "event_id", "batch_id", "ts", "producer");

    private final Clock clock;
    private final String defaultProducer;

    FlatEventParser(Clock clock, String defaultProducer) {
        // Payload enums are made through Avro's class lookup, which refuses classes it does not trust.
        AvroTrust.trustGeneratedClasses();
        this.clock = clock;
        this.defaultProducer = defaultProducer;
    }

    /** The event, or the errors that keep it from being one (added to {@code errors}). */
    ArgusEvent parse(int index, JsonNode json, List<FieldError> errors) {
        int before = errors.size();
        if (!json.isObject()) {
            errors.add(new FieldError(index, "", "an event must be a JSON object"));
            return null;
        }
        String typeName = text(json, "type");
        EventType type = typeName == null ? null : EventType.fromWireName(typeName).orElse(null);
        if (type == null) {
            errors.add(new FieldError(index, "type", typeName == null ? "is required"
                : "unknown event type '" + typeName + "'; one of " + wireNames()));
            return null;
        }
        SpecificRecordBase payload = newPayload(type);
        Schema schema = payload.getSchema();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENVELOPE_FIELDS.contains(name) && schema.getField(name) == null) {
                errors.add(new FieldError(index, name, "not a field of " + typeName));
            }
        }
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = json.get(field.name());
            if (value == null || value.isNull()) {
                if (!field.hasDefaultValue()) {
                    errors.add(new FieldError(index, field.name(), "is required"));
                }
                continue;
            }
            try {
                payload.put(field.pos(), AvroJsonValues.convert(value, field.schema()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(index, field.name(), e.getMessage()));
            }
        }
        Instant ts = timestamp(index, json, errors);
        String batchId = text(json, "batch_id");
        if (batchId == null) {
            errors.add(new FieldError(index, "batch_id", "is required"));
        }
        String eventId = text(json, "event_id");
        if (eventId != null && eventId.isBlank()) {
            // A fresh id in its place would make a retry of this request count twice: say so instead.
            errors.add(new FieldError(index, "event_id", "must not be blank: send your own id, or leave the field "
                + "out to have one assigned"));
        }
        if (errors.size() > before) {
            return null;
        }
        ArgusEvent event = ArgusEvent.newBuilder()
            .setEventId(eventId != null ? eventId : UUID.randomUUID().toString())
            .setBatchId(batchId)
            .setTs(ts)
            .setProducer(textOr(json, "producer", defaultProducer))
            .setPayload(withDefaults(type, payload))
            .build();
        EventValidator.validate(event).ifPresent(v -> errors.add(new FieldError(index, v.field(), v.reason())));
        return errors.size() > before ? null : event;
    }

    private Instant timestamp(int index, JsonNode json, List<FieldError> errors) {
        String ts = text(json, "ts");
        if (ts == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(index, "ts", "must be ISO-8601 like 2026-11-23T10:00:00Z, got '" + ts + "'"));
            return null;
        }
    }

    /** Fields left unset take their schema defaults (empty maps, nulls) through the generated builder. */
    private static SpecificRecordBase withDefaults(EventType type, SpecificRecordBase payload) {
        SpecificRecordBase complete = newPayload(type);
        for (Schema.Field field : payload.getSchema().getFields()) {
            Object value = payload.get(field.pos());
            complete.put(field.pos(), value != null ? value : AvroJsonValues.defaultOf(field));
        }
        return complete;
    }

    private static SpecificRecordBase newPayload(EventType type) {
        try {
            return (SpecificRecordBase) type.payloadClass().getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException
                 | NoSuchMethodException e) {
            throw new IllegalStateException("generated class " + type.payloadClass() + " cannot be created", e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String textOr(JsonNode json, String field, String fallback) {
        String value = text(json, field);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static List<String> wireNames() {
        List<String> names = new ArrayList<>();
        for (EventType type : EventType.values()) {
            names.add(type.wireName());
        }
        return names;
    }
}
