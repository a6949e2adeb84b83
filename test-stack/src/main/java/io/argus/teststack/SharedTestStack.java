package io.argus.teststack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka cluster and one schema registry per test JVM, started on first use and shared by every test class:
 * starting them per class would cost seconds each time. Tests isolate themselves with {@link TestNames}.
 * The JUnit extension {@link RealKafkaAndRegistry} closes it at the end of the run; a shutdown hook is the fallback.
 */
public final class SharedTestStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTestStack.class);
    private static SharedTestStack current;
    /** A failed start is not retried: every later test class would wait out the same timeouts again. */
    private static RuntimeException startFailure;

    private final EmbeddedKafkaCluster kafka;
    private final ApicurioRegistry registry;
    private final Duration kafkaStartup;
    private final Duration registryStartup;
    private final Duration startup;
    private final Thread shutdownHook = new Thread(this::close, "argus-test-stack-shutdown");
    private boolean closed;

    private SharedTestStack(Timed<EmbeddedKafkaCluster> kafka, Timed<ApicurioRegistry> registry, Duration startup) {
        this.kafka = kafka.value();
        this.registry = registry.value();
        this.kafkaStartup = kafka.elapsed();
        this.registryStartup = registry.elapsed();
        this.startup = startup;
    }

    /** The running stack of this JVM, started now if there is none (or the last one was closed). */
    public static synchronized SharedTestStack get() {
        if (startFailure != null) {
            throw new IllegalStateException("The shared Kafka and registry failed to start earlier in this JVM",
                    startFailure);
        }
        if (current == null || current.isClosed()) {
            try {
                current = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return current;
    }

    /** Starts Kafka and the registry side by side: the registry is the slower one, Kafka fits in its shadow. */
    private static SharedTestStack start() {
        long started = System.nanoTime();
        ApicurioDistribution distribution = ApicurioDistribution.locate();
        Path baseDir = createBaseDir();
        CompletableFuture<Timed<ApicurioRegistry>> registry = inBackground("argus-registry-start",
                () -> ApicurioRegistry.start(distribution, baseDir.resolve("registry")));
        CompletableFuture<Timed<EmbeddedKafkaCluster>> kafka = inBackground("argus-kafka-start",
                () -> EmbeddedKafkaCluster.start(baseDir.resolve("kafka"), Map.of()));
        try {
            // allOf completes only when both have finished, so on failure nothing is still starting.
            CompletableFuture.allOf(registry, kafka).join();
        } catch (CompletionException e) {
            registry.thenAccept(timed -> timed.value().close());
            kafka.thenAccept(timed -> timed.value().close());
            throw new IllegalStateException("Could not start the shared Kafka and registry", e.getCause());
        }
        SharedTestStack stack = new SharedTestStack(kafka.join(), registry.join(), Timed.since(started));
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        LOG.info("Kafka ready in {} s, registry ready in {} s, stack ready in {} s (Kafka {}, registry {})",
                seconds(stack.kafkaStartup), seconds(stack.registryStartup), seconds(stack.startup),
                stack.kafka.bootstrapServers(), stack.registry.baseUrl());
        return stack;
    }

    private static <T> CompletableFuture<Timed<T>> inBackground(String threadName, Supplier<T> task) {
        Executor newThread = runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            thread.start();
        };
        return CompletableFuture.supplyAsync(() -> Timed.run(task), newThread);
    }

    /** Under java.io.tmpdir, which surefire points at the module's target directory. */
    private static Path createBaseDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve(TestNames.unique("argus-test-stack"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** How long Kafka took to start, measured on its own start thread. */
    public Duration kafkaStartup() {
        return kafkaStartup;
    }

    /** How long the registry took to be ready and configured. */
    public Duration registryStartup() {
        return registryStartup;
    }

    /** Wall-clock time of the whole start-up: what the test suite actually waited. */
    public Duration startup() {
        return startup;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops the registry, then Kafka. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long started = System.nanoTime();
        try {
            registry.close();
        } finally {
            kafka.close();
            removeShutdownHook();
        }
        LOG.info("Shared Kafka and registry stopped in {} s", seconds(Timed.since(started)));
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is exiting and the hook may be running this very close(): nothing left to remove.
        }
    }

    private record Timed<T>(T value, Duration elapsed) {

        static <T> Timed<T> run(Supplier<T> task) {
            long started = System.nanoTime();
            T value = task.get();
            return new Timed<>(value, since(started));
        }

        static Duration since(long startNanos) {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }
}
