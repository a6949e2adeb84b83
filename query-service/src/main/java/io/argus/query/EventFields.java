package io.argus.query;

import io.argus.schemas.avro.ArgusEvent;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The fields a page of events may be cut down to ({@code fields=type,job_id,ts}): the envelope, the event's place
 * in the history and any payload field of any event type. A reader that draws one picture from thousands of events
 * then pays neither for writing the rest nor for sending it. An event that lacks a chosen field simply leaves it out.
 */
final class EventFields {

    /** Every name a field of an event in the history can have, in the order they are listed in errors. */
    static final Set<String> NAMES = names();

    private EventFields() {
    }

    /** {@code fields} is a comma-separated list of names; empty (keep every field) when absent. */
    static Optional<Set<String>> parse(String fields) {
        if (fields == null) {
            return Optional.empty();
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : fields.split(",", -1)) {
            if (!NAMES.contains(name.trim())) {
                throw ApiException.badRequest("fields must be a comma-separated list of " + String.join(", ", NAMES)
                    + "; got '" + name.trim() + "'");
            }
            chosen.add(name.trim());
        }
        return Optional.of(chosen);
    }

    /** The event's JSON with only the chosen fields (those it has), in the order they were chosen. */
    static Map<String, Object> keep(Map<String, Object> event, Optional<Set<String>> chosen) {
        if (chosen.isEmpty()) {
            return event;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String name : chosen.get()) {
            if (event.containsKey(name)) {
                kept.put(name, event.get(name));
            }
        }
        return kept;
    }

    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>(List.of("type", "event_id", "batch_id", "ts", "producer",
            "effect", "partition", "offset", "position"));
        for (Schema payload : ArgusEvent.getClassSchema().getField("payload").schema().getTypes()) {
            if (payload.getType() == Schema.Type.RECORD) {
                payload.getFields().forEach(field -> names.add(field.name()));
            }
        }
        return names;
    }
}
