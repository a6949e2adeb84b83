package io.argus.schemas.wire;

import java.util.Map;

/**
 * Serde settings read from Kafka-style configs, next to the registry client's own {@code argus.registry.*} keys.
 *
 * @param autoRegister whether the serializer registers a schema the subject does not hold yet ({@value
 *                     #AUTO_REGISTER}, default true); when false it only looks the schema up and fails clearly if
 *                     it is missing, which suits production where schemas are registered by a release step.
 */
public record SerdeSettings(boolean autoRegister) {

    public static final String AUTO_REGISTER = "argus.serde.auto.register";

    public static SerdeSettings defaults() {
        return new SerdeSettings(true);
    }

    public static SerdeSettings fromMap(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER);
        if (value == null) {
            return defaults();
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(AUTO_REGISTER + " must be true or false, got '" + value + "'");
        }
        return new SerdeSettings(Boolean.parseBoolean(text));
    }
}
