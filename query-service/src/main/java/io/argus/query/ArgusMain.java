package io.argus.query;

import io.argus.streams.app.ArgusConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar argus.jar serve}: the query service against a configured Kafka and registry. */
@Command(name = "argus", mixinStandardHelpOptions = true,
    description = "Argus query service: batch and job views over HTTP, ingest and dashboard.",
    subcommands = {ArgusMain.Serve.class})
public final class ArgusMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ArgusMain()).execute(args));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the fold and the HTTP API against ARGUS_KAFKA_BOOTSTRAP and ARGUS_REGISTRY_URL.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "Properties file (else ARGUS_CONFIG_FILE); environment wins over it.")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            ArgusConfig settings = ArgusConfig.load(Optional.ofNullable(config), System.getenv());
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
}
