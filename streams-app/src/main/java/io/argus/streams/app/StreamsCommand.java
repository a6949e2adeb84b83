package io.argus.streams.app;

import io.argus.streams.topology.ArgusTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The streams-app command line: {@code run}, {@code rebuild} and {@code verify}. {@code argus.jar} runs the same
 * {@code rebuild} and {@code verify}, with a {@link CommandTarget.Finder} that also finds the local Argus's data.
 */
@Command(name = "argus-streams", mixinStandardHelpOptions = true,
    description = "Folds the Argus event log into batch and job state stores.",
    subcommands = {StreamsCommand.Run.class, StreamsCommand.RebuildCommand.class, StreamsCommand.Verify.class})
public final class StreamsCommand {

    static final String REBUILD_COMMIT_INTERVAL_MS = "1000";
    static final List<String> STORES = List.of(ArgusTopology.BATCHES_STORE, ArgusTopology.JOBS_STORE,
        ArgusTopology.HISTORY_STORE);
    private static final Duration DIGEST_TIMEOUT = Duration.ofMinutes(5);

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsCommand()).setExecutionExceptionHandler(new CommandErrors())
            .execute(args));
    }

    /** Options every command shares. */
    static class ConfigOption {
        @Option(names = "--config", description = "Properties file (else ARGUS_CONFIG_FILE); environment wins over it.")
        Path file;

        Optional<Path> file() {
            return Optional.ofNullable(file);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the fold until stopped (Ctrl-C leaves the group cleanly).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Override
        public Integer call() throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            ArgusStreams app = ArgusStreams.start(ArgusConfig.load(config.file(), System.getenv()));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "argus-streams-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Fold the whole log under a new application id, show progress, stop when caught up.",
            "Exit 0 when caught up, 2 when it could not run."})
    public static final class RebuildCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Option(names = "--application-id", required = true, description = "A new application id, e.g. argus-v2.")
        String applicationId;

        @Option(names = "--timeout", defaultValue = "PT1H", description = "Give up after this long (ISO-8601).")
        Duration timeout;

        private final CommandTarget.Finder targets;

        public RebuildCommand() {
            this(CommandTarget::configured);
        }

        public RebuildCommand(CommandTarget.Finder targets) {
            this.targets = targets;
        }

        @Override
        public Integer call() throws Exception {
            try (CommandTarget target = targets.open(config.file(), CommandTarget.Needs.KAFKA_AND_REGISTRY)) {
                new Rebuild(rebuildConfig(target.config(), applicationId), System.out, Duration.ofSeconds(2))
                    .run(timeout);
            }
            return 0;
        }
    }

    /**
     * The configuration of a rebuild: the new application id, and a commit every second unless one is configured.
     * Nothing reads a rebuild's stores or views until it has caught up, so committing ten times a second (Streams'
     * exactly-once default) only slows it: 12-17% in docs/benchmarks.md.
     */
    static ArgusConfig rebuildConfig(ArgusConfig loaded, String applicationId) {
        Map<String, String> overrides = new HashMap<>(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId));
        if (loaded.find(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG).isEmpty()) {
            overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, REBUILD_COMMIT_INTERVAL_MS);
        }
        return loaded.with(overrides);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compare the stores of two application ids through digests of their changelogs.",
            "The verdict goes to standard output, progress to standard error.",
            "Exit 0 when identical, 1 when they differ, 2 when they could not be compared."})
    public static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Option(names = "--application-id", required = true)
        String applicationId;

        @Option(names = "--against", required = true, description = "The application id to compare with.")
        String other;

        private final CommandTarget.Finder targets;

        public Verify() {
            this(CommandTarget::configured);
        }

        public Verify(CommandTarget.Finder targets) {
            this.targets = targets;
        }

        @Override
        public Integer call() {
            try (CommandTarget target = targets.open(config.file(), CommandTarget.Needs.KAFKA)) {
                return compare(target.config(), applicationId, other, System.out, System.err) ? 0 : 1;
            }
        }
    }

    /** Prints one line per store and says whether all are identical; reading progress goes to {@code progress}. */
    static boolean compare(ArgusConfig config, String first, String second, PrintStream out, PrintStream progress) {
        boolean identical = true;
        for (String store : STORES) {
            StoreDigest.Digest a = StoreDigest.of(config.streamsProperties(), first, store, DIGEST_TIMEOUT, progress);
            StoreDigest.Digest b = StoreDigest.of(config.streamsProperties(), second, store, DIGEST_TIMEOUT, progress);
            boolean same = a.hex().equals(b.hex()) && a.keys() == b.keys();
            identical &= same;
            out.printf("%-10s %s  %s (%d keys)  %s (%d keys)%n", store, same ? "same    " : "DIFFERENT",
                a.hex().substring(0, 16), a.keys(), b.hex().substring(0, 16), b.keys());
        }
        out.println(identical ? "stores are identical" : "stores differ");
        return identical;
    }
}
