package io.argus.streams.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kafka (and registry) that {@code rebuild} or {@code verify} runs against, and what to stop when it is done.
 * The streams-app commands use the configuration as loaded; {@code argus.jar} also finds the local Argus's data.
 */
public record CommandTarget(ArgusConfig config, Runnable stop) implements AutoCloseable {

    /** What a command needs: {@code verify} only reads changelogs, {@code rebuild} decodes events too. */
    public enum Needs { KAFKA, KAFKA_AND_REGISTRY }

    /** Opens the target of a command from its {@code --config} option. */
    @FunctionalInterface
    public interface Finder {
        CommandTarget open(Optional<Path> configFile, Needs needs);
    }

    /** Defaults, then the file, then the environment: a cluster that runs already, nothing to stop. */
    public static CommandTarget configured(Optional<Path> configFile, Needs needs) {
        return new CommandTarget(ArgusConfig.load(configFile, System.getenv()), () -> { });
    }

    @Override
    public void close() {
        stop.run();
    }
}
