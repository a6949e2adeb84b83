package io.argus.query;

import io.argus.query.local.DemoLauncher;
import io.argus.query.local.LocalArgus;
import io.argus.query.local.LocalDataTarget;
import io.argus.streams.app.CommandErrors;
import io.argus.streams.app.CommandTarget;
import io.argus.streams.app.StreamsCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar argus.jar}: with no Kafka and no registry configured, Argus in one command (a local broker, the
 * registry, the fold and HTTP: see {@link LocalArgus}); {@code serve} runs against a configured Kafka and registry.
 * {@code rebuild} and {@code verify} are streams-app's, run against the configured cluster or, with nothing
 * configured, against the local Argus's data ({@link LocalDataTarget}).
 */
@Command(name = "argus", mixinStandardHelpOptions = true,
    description = {"Argus: batch and job views over HTTP, ingest and dashboard.",
        "With no subcommand and none of ARGUS_KAFKA_BOOTSTRAP, ARGUS_REGISTRY_URL, ARGUS_CONFIG_FILE set, runs "
            + "`local`; otherwise `serve`.",
        "`rebuild` and `verify` replay and compare the log: against the configured Kafka and registry, or, with "
            + "none configured, against the local Argus's data (ARGUS_DATA_DIR, default ./argus-data), running or "
            + "not."},
    subcommands = {ArgusMain.Serve.class, ArgusMain.Local.class})
public final class ArgusMain implements Callable<Integer> {

    /** The commands that print their own progress: Kafka's and Streams' logging would bury it. */
    private static final Set<String> LOG_COMMANDS = Set.of("rebuild", "verify");

    @Option(names = "--demo", description = "With the local Argus: also publish demo batches that show every state.")
    boolean demo;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    private static CommandLine commandLine(Map<String, String> environment) {
        CommandTarget.Finder targets = (configFile, needs) ->
            configFile.isEmpty() && LocalArgus.isDefaultFor(environment)
                ? LocalDataTarget.open(environment, needs, System.err)
                : CommandTarget.configured(configFile, needs);
        CommandLine commandLine = new CommandLine(new ArgusMain())
            .addSubcommand(new StreamsCommand.RebuildCommand(targets))
            .addSubcommand(new StreamsCommand.Verify(targets));
        return commandLine.setExecutionExceptionHandler(new CommandErrors())
            .setExecutionStrategy(parsed -> {
                if (parsed.subcommand() != null && LOG_COMMANDS.contains(parsed.subcommand().commandSpec().name())) {
                    quietLogging();
                }
                return new CommandLine.RunLast().execute(parsed);
            });
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> environment = System.getenv();
        if (LocalArgus.isDefaultFor(environment)) {
            return runLocal(environment, demo);
        }
        if (demo) {
            System.err.println("--demo runs with the local Argus only, but " + LocalArgus.EXTERNAL_STACK_ENV
                + " names a Kafka or registry: use `argus local --demo`, or unset them.");
            return 2;
        }
        return new Serve().call();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the fold and the HTTP API against ARGUS_KAFKA_BOOTSTRAP and ARGUS_REGISTRY_URL.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "Properties file (else ARGUS_CONFIG_FILE); environment wins over it.")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            QueryConfig settings = QueryConfig.load(Optional.ofNullable(config), System.getenv());
            CountDownLatch stopped = new CountDownLatch(1);
            QueryService service = QueryService.start(settings, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "argus-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Argus in one command: a Kafka broker on 127.0.0.1:9092 (ARGUS_EMBEDDED_KAFKA_PORT) with its "
            + "data in ./argus-data (ARGUS_DATA_DIR), the schema registry, the fold and HTTP on "
            + "http://127.0.0.1:8080 (ARGUS_HTTP_PORT). Ctrl-C stops it; the data stays."})
    static final class Local implements Callable<Integer> {
        @Option(names = "--demo", description = "Also publish demo batches that show every state on the dashboard.")
        boolean demo;

        @Override
        public Integer call() throws InterruptedException {
            return runLocal(System.getenv(), demo);
        }
    }

    private static int runLocal(Map<String, String> environment, boolean demo) throws InterruptedException {
        quietLogging();
        PrintStream out = System.out;
        long started = System.nanoTime();
        out.println("Starting Argus: Kafka, the schema registry, the fold and HTTP...");
        LocalArgus argus;
        try {
            argus = LocalArgus.start(environment, Clock.systemUTC());
        } catch (LocalArgus.CannotStartException e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("Argus could not start: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            out.println("Stopping Argus: HTTP and the fold, then Kafka, then the registry...");
            try {
                argus.close();
                out.println("Argus stopped in " + millisSince(stopping) + " ms.");
            } finally {
                stopped.countDown();
            }
        }, "argus-shutdown"));
        argus.printBanner(out);
        out.println("Ready in " + millisSince(started) + " ms (" + argus.startTimes() + ")"
            + (argus.foldRunning() ? "." : "; the fold is still starting: " + argus.dashboardUrl()
            + "readyz tells when it runs."));
        if (demo) {
            publishDemo(argus, environment, out);
        }
        stopped.await();
        return 0;
    }

    private static void publishDemo(LocalArgus argus, Map<String, String> environment, PrintStream out) {
        try {
            int events = new DemoLauncher(argus.dashboardUrl(), Optional.ofNullable(environment.get("ARGUS_API_TOKEN"))
                .filter(token -> !token.isBlank())).publish(Clock.systemUTC());
            out.println("Demo: sent " + events + " events of 5 batches: done after a crash and a resume, running, "
                + "stalled, stopped, failed (their ids are fixed: sending them again changes nothing). See "
                + argus.dashboardUrl());
        } catch (RuntimeException e) {
            // Argus itself is fine; the demo is a convenience.
            System.err.println("The demo could not publish its batches: " + e.getMessage());
        }
    }

    /**
     * slf4j-simple logs everything at INFO by default: Kafka alone prints hundreds of lines. Argus's own lines and
     * warnings stay; a -D on the command line wins.
     */
    private static void quietLogging() {
        Map<String, String> levels = Map.ofEntries(
            Map.entry("org.slf4j.simpleLogger.defaultLogLevel", "warn"),
            Map.entry("org.slf4j.simpleLogger.log.io.argus", "warn"),
            Map.entry("org.slf4j.simpleLogger.showDateTime", "true"),
            Map.entry("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS"),
            Map.entry("org.slf4j.simpleLogger.showShortLogName", "true"),
            // Expected at every start and stop of a one-node cluster, not problems.
            Map.entry("org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error"),
            Map.entry("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error"),
            Map.entry("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off"),
            Map.entry("org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender", "error"),
            Map.entry("org.slf4j.simpleLogger.log.kafka.server.DefaultAutoTopicCreationManager", "error"),
            // Advice about a global-thread setting (Argus has no global stores), twice per start.
            Map.entry("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig", "error"));
        levels.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
