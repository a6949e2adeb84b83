package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/** JSON values to the Avro values of the event schema's field types, with a reason when they do not fit. */
final class AvroJsonValues {

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
                    throw new IllegalArgumentException("must be a whole number (64-bit)");
                }
                return value.longValue();
            case DOUBLE:
                return exactDouble(value);
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

    /**
     * A number a 64-bit float holds exactly: read back, it is the number sent (in its shortest form: {@code 1e29}
     * comes back as {@code 1.0E29}). Out-of-range numbers (which would become infinities or zero) and numbers with
     * more precision than the float keeps are refused rather than stored changed.
     */
    private static double exactDouble(JsonNode value) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException("must be a number");
        }
        double stored = value.doubleValue();
        if (!Double.isFinite(stored)) {
            throw new IllegalArgumentException("must be a finite number within the range of a 64-bit float "
                + "(about ±1.8e308), got " + value.asText());
        }
        if (new BigDecimal(Double.toString(stored)).compareTo(value.decimalValue()) != 0) {
            throw new IllegalArgumentException("cannot be kept exactly: a 64-bit float would store " + value.asText()
                + " as " + stored);
        }
        return stored;
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
