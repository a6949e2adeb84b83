package io.argus.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/** The JSON request and answer shapes of the Confluent Schema Registry REST API that this client uses. */
final class RegistryJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RegistryJson() {
    }

    /** Body of register, lookup and compatibility calls. {@code schemaType} is left out for Avro: old registries reject it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SchemaRequest(@JsonProperty("schema") String schema) {
    }

    /** Answer of register and lookup ({@code lookup} also carries subject, version and schema; unused). */
    record IdAnswer(@JsonProperty("id") Integer id) {
    }

    /** Answer of {@code GET /schemas/ids/{id}}; {@code schemaType} is absent for Avro. */
    record SchemaAnswer(@JsonProperty("schema") String schema, @JsonProperty("schemaType") String schemaType) {
    }

    /**
     * Answer of a compatibility check. Confluent and Karapace give the reasons in {@code messages} (with
     * {@code verbose=true}); Apicurio gives one {@code reason} string.
     */
    record CompatibilityAnswer(@JsonProperty("is_compatible") Boolean compatible,
                               @JsonProperty("messages") List<String> messages,
                               @JsonProperty("reason") String reason) {
    }

    /** {@code GET /config} answers {@code compatibilityLevel}; {@code PUT /config} answers {@code compatibility}. */
    record ConfigAnswer(@JsonProperty("compatibilityLevel") String compatibilityLevel,
                        @JsonProperty("compatibility") String compatibility) {
        String level() {
            return compatibilityLevel != null ? compatibilityLevel : compatibility;
        }
    }

    /** Body of {@code PUT /config}. */
    record ConfigRequest(@JsonProperty("compatibility") String compatibility) {
    }

    /** The registry's error body. */
    record ErrorAnswer(@JsonProperty("error_code") Integer errorCode, @JsonProperty("message") String message) {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Parses an answer body; throws {@link JsonProcessingException} when it is not the expected JSON. */
    static <T> T read(String body, Class<T> type) throws JsonProcessingException {
        T value = MAPPER.readValue(body, type);
        if (value == null) {
            throw new JsonMappingNullException(type);
        }
        return value;
    }

    /** The error body when it is the registry's JSON, otherwise null. */
    static ErrorAnswer readError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            ErrorAnswer error = MAPPER.readValue(body, ErrorAnswer.class);
            return error != null && (error.errorCode() != null || error.message() != null) ? error : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** A body of {@code null}: valid JSON but no answer. */
    static final class JsonMappingNullException extends JsonProcessingException {
        JsonMappingNullException(Class<?> type) {
            super("Expected a " + type.getSimpleName() + " object, got null");
        }
    }
}
