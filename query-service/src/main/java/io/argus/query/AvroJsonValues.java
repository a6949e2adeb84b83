package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.schemas.AvroTrust;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/** JSON values to the Avro values of the event schema's field types, with a reason when they do not fit. */
final class AvroJsonValues {

    static {
        AvroTrust.trustGeneratedClasses();
    }

    private AvroJsonValues() {
    }

    static Object convert(JsonNode value, Schema schema) {
        switch (schema.getType()) {
            case STRING:
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("must be a string");
                }
                return value.asText();
            case INT:
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new IllegalArgumentException("must be a whole number (32-bit)");
                }
                return value.intValue();
            case LONG:
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException("must be a whole number");
                }
                return value.longValue();
            case DOUBLE:
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("must be a number");
                }
                return value.doubleValue();
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("must be true or false");
                }
                return value.booleanValue();
            case ENUM:
                if (!value.isTextual() || !schema.getEnumSymbols().contains(value.asText())) {
                    throw new IllegalArgumentException("must be one of " + schema.getEnumSymbols());
                }
                return SpecificData.get().createEnum(value.asText(), schema);
            case MAP:
                return map(value, schema.getValueType());
            case UNION:
                Schema nonNull = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
                    .findFirst().orElseThrow();
                return convert(value, nonNull);
            default:
                throw new IllegalArgumentException("has an Avro type ingest does not support: " + schema.getType());
        }
    }

    /** The field's schema default as a value of the generated classes (an empty map, null). */
    static Object defaultOf(Schema.Field field) {
        return SpecificData.get().getDefaultValue(field);
    }

    private static Map<String, Object> map(JsonNode value, Schema valueType) {
        if (!value.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        Map<String, Object> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            try {
                map.put(entry.getKey(), convert(entry.getValue(), valueType));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry '" + entry.getKey() + "' " + e.getMessage(), e);
            }
        }
        return map;
    }
}
