package io.argus.schemas.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The layers every Argus process reads its configuration from, each over the one before: the defaults its
 * configuration class declares ({@link ConfigKeys}), a properties file, then environment variables. One convention
 * for the fold, the query service and the launcher SDK: named variables ({@code ARGUS_KAFKA_BOOTSTRAP}) map to keys,
 * and any other {@code ARGUS_KAFKA_<KEY>} passes a Kafka client setting through, upper case with dots as underscores
 * ({@code ARGUS_KAFKA_SECURITY_PROTOCOL=SASL_SSL} sets {@code security.protocol=SASL_SSL}).
 */
public final class ConfigSources {

    /** The environment variable naming the properties file. */
    public static final String CONFIG_FILE_VARIABLE = "ARGUS_CONFIG_FILE";
    public static final String KAFKA_PASSTHROUGH_PREFIX = "ARGUS_KAFKA_";

    private ConfigSources() {
    }

    /**
     * The declared defaults, then the file ({@code file}, else the one {@code ARGUS_CONFIG_FILE} names, else none),
     * then the environment.
     */
    public static Map<String, String> layered(ConfigKeys keys, Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>(keys.defaults());
        file.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE)).map(Path::of))
            .ifPresent(path -> values.putAll(readFile(path)));
        values.putAll(fromEnvironment(environment, keys.environmentVariables()));
        return values;
    }

    /** The keys and values of a properties file, trimmed; a missing file is an error that names it. */
    public static Map<String, String> readFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("configuration file " + path.toAbsolutePath() + " does not exist");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + path.toAbsolutePath(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).strip()));
        return values;
    }

    /**
     * The settings the environment gives: each variable of {@code namedKeys} as its key, and the Kafka passthrough.
     * A named variable wins over the passthrough reading of the same name ({@code ARGUS_KAFKA_BOOTSTRAP}).
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment, Map<String, String> namedKeys) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach((name, value) -> {
            String key = namedKeys.get(name);
            if (key != null) {
                values.put(key, value);
            } else if (name.startsWith(KAFKA_PASSTHROUGH_PREFIX) && name.length() > KAFKA_PASSTHROUGH_PREFIX.length()) {
                String setting = name.substring(KAFKA_PASSTHROUGH_PREFIX.length()).toLowerCase(Locale.ROOT);
                values.put(setting.replace('_', '.'), value);
            }
        });
        return values;
    }
}
