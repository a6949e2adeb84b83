package io.argus.schemas.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resolved configuration: keys to values, read through typed getters whose errors name the key and the bad value.
 * Each process's configuration class (the fold's, the query service's, the launcher SDK's) extends it with the keys
 * it declares and typed views of them.
 */
public class Settings {

    private final Map<String, String> values;

    protected Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing configuration key " + key);
        }
        return value;
    }

    /** A key that may be absent or blank (such as an API token). */
    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    public int getInt(String key) {
        long value = getLong(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be a 32-bit whole number, got " + value);
        }
        return (int) value;
    }

    public long getLong(String key) {
        String value = get(key);
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'", e);
        }
    }

    /** A positive number of milliseconds. */
    public Duration getMillis(String key) {
        long millis = getLong(key);
        if (millis <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, got " + millis);
        }
        return Duration.ofMillis(millis);
    }

    public boolean getBoolean(String key) {
        String value = get(key).strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** Every key and value, read-only. */
    public Map<String, String> asMap() {
        return values;
    }
}
