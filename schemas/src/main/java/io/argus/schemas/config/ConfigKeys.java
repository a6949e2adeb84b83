package io.argus.schemas.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keys a configuration class declares, in the order its README documents them: where its defaults and its
 * environment variables come from, and what a test holds the README's table against ({@link DocumentedKeys}).
 */
public final class ConfigKeys {

    private final Map<String, ConfigKey> keys;

    private ConfigKeys(Map<String, ConfigKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These keys and then {@code more}; a key declared twice is a mistake. */
    public ConfigKeys plus(ConfigKeys more) {
        Builder both = new Builder();
        keys.values().forEach(both::add);
        more.keys.values().forEach(both::add);
        return both.build();
    }

    public Collection<ConfigKey> all() {
        return keys.values();
    }

    public Set<String> names() {
        return keys.keySet();
    }

    public Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public ConfigKey get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(name + " is not a declared key"));
    }

    /** The bottom layer: every default that is not applied where its key is read. */
    public Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        keys.values().stream().filter(key -> !key.appliedWhereRead())
            .forEach(key -> key.defaultValue().ifPresent(value -> defaults.put(key.name(), value)));
        return defaults;
    }

    /** Environment variable to key, for every key that has a variable. */
    public Map<String, String> environmentVariables() {
        Map<String, String> variables = new TreeMap<>();
        keys.values().forEach(key -> key.variable().ifPresent(variable -> variables.put(variable, key.name())));
        return variables;
    }

    public static final class Builder {

        private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A key whose default is the bottom layer.
         *
         * @param variable the environment variable that sets it, or null for none
         * @param defaultValue its default, or null for none
         */
        public Builder key(String name, String variable, String defaultValue) {
            return add(new ConfigKey(name, Optional.ofNullable(variable), Optional.ofNullable(defaultValue), false));
        }

        /** A key whose default the code that reads it applies, because it depends on other keys. */
        public Builder keyDefaultedWhereRead(String name, String variable, String defaultValue) {
            return add(new ConfigKey(name, Optional.ofNullable(variable), Optional.of(defaultValue), true));
        }

        Builder add(ConfigKey key) {
            if (keys.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException(key.name() + " is declared twice");
            }
            return this;
        }

        public ConfigKeys build() {
            return new ConfigKeys(new LinkedHashMap<>(keys));
        }
    }
}
