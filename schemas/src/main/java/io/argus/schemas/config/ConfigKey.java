package io.argus.schemas.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One key a process reads: its name, the environment variable that sets it (none for a key set only in the file or
 * on a builder), and its default (none when the key may stay unset).
 *
 * <p>Most defaults are the bottom layer, under the file and the environment. A default {@code appliedWhereRead} is
 * not: it depends on other keys (Kafka's prefixed consumer settings, a rebuild's own commit interval), so the code
 * that reads the key applies it, taking the value from here.
 */
public record ConfigKey(String name, Optional<String> variable, Optional<String> defaultValue,
                        boolean appliedWhereRead) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (appliedWhereRead && defaultValue.isEmpty()) {
            throw new IllegalArgumentException(name + ": a default applied where read needs a value");
        }
    }

    /** The default, for a key that has one. */
    public String requireDefault() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(name + " has no default"));
    }
}
