package io.argus.streams.bench;

import io.argus.embedded.ApicurioDistribution;
import io.argus.streams.app.ArgusConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Measures the fold rate of the Argus topology (exactly-once) beside a bare Kafka Streams count over the same topic,
 * in the same run, for 1 and 3 partitions, and prints a table. Not a test: a main class in the test sources.
 *
 * <p>Run it from the repository root (the other modules installed, {@code mvn -B -q install -DskipTests}):
 * <pre>
 * mvn -B -q -pl streams-app test-compile exec:java -Dexec.mainClass=io.argus.streams.bench.FoldRateBench \
 *   -Dexec.classpathScope=test -Dargus.apicurio.home=$PWD/target/apicurio-2.6.13.Final
 * </pre>
 * Options, through {@code -Dexec.args="--events 50000 --runs 3 --partitions 1,3 --warmup 1"} or system properties
 * ({@code -Dargus.bench.events=50000}...): see {@link BenchOptions}. The JIT is still warming up over the first
 * runs (on a 2-core machine the first Argus run was about half as fast as the third); {@code --warmup 1} takes that
 * out of the medians.
 * Instead of {@code -Dargus.apicurio.home} the environment variable {@code ARGUS_APICURIO_HOME} works too; {@code mvn
 * generate-test-resources} unpacks the registry there.
 *
 * <p>What it does:
 * <ol>
 *   <li>starts its own Kafka (in this JVM, data under {@code streams-app/target/fold-rate-bench-*}) and Apicurio
 *       Registry (a child JVM);</li>
 *   <li>generates N events ({@link EventMix}), and for each partition count P fills the topic
 *       {@code bench-pP.argus.events} once ({@link EventLog}): serialized with the real serializer and registry,
 *       produced idempotently with acks=all;</li>
 *   <li>for each P, R times, alternating: the real Argus app ({@link ArgusFoldRun}) with a fresh application id and
 *       state directory and topics prefix {@code bench-pP.}, then a bare Streams count ({@link BareCountRun}) with the
 *       same Kafka settings; each is closed (leaving its group) before the next starts;</li>
 *   <li>times each run from its first processed record to its N-th ({@link RateProbe}) and prints the table
 *       ({@link Report}).</li>
 * </ol>
 * Everything but the registry shares this JVM (under {@code exec:java}, Maven's): broker, producer and apps compete
 * for the same cores, as they do in the integration tests.
 */
public final class FoldRateBench {

    private static final long SEED = 20261123L;
    private static final PrintStream OUT = System.out;

    private FoldRateBench() {
    }

    public static void main(String[] args) {
        quietLogging();
        long started = System.nanoTime();
        BenchOptions options = BenchOptions.parse(args);
        ApicurioDistribution registry = locateRegistry();
        Path workDir = workDir();
        OUT.println("FoldRateBench: " + options + ", work dir " + workDir);

        EventMix mix = EventMix.generate(options.events(), SEED);
        OUT.println("mix: " + mix.describe());
        Duration runTimeout = Duration.ofSeconds(60 + options.events() / 2_000);
        Report report = new Report();
        ArgusConfig defaults = BenchStack.defaults();
        String guarantee = defaults.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        String threads = defaults.streamsProperties().getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        try (BenchStack stack = BenchStack.start(registry, workDir)) {
            List<EventLog.Filled> topics = new ArrayList<>();
            for (int partitions : options.partitions()) {
                EventLog.Filled filled = EventLog.fill(stack.kafka(), stack.registryUrl(), prefix(partitions),
                    partitions, mix.events());
                OUT.println("filled " + filled);
                topics.add(filled);
            }
            for (int run = 1; run <= options.warmup(); run++) {
                runPair(stack, topics.get(0), "warm-up " + run, runTimeout);
            }
            for (EventLog.Filled topic : topics) {
                for (int run = 1; run <= options.runs(); run++) {
                    Measurement[] pair = runPair(stack, topic, "run " + run, runTimeout);
                    report.add(topic.partitions(), pair[0], pair[1]);
                }
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        OUT.println();
        report.print(OUT, List.of(
            "Argus fold vs bare Kafka Streams count (groupByKey().count() into RocksDB), same topic, same run",
            Report.machine() + "; Kafka " + AppInfoParser.getVersion(),
            String.format(Locale.ROOT, "N = %,d events; %s, %s stream thread per app; %d runs of each per partition"
                    + " count, alternating Argus and bare, after %d untimed warm-up pair(s)", options.events(),
                guarantee, threads, options.runs(), options.warmup()),
            "rate = records / time, " + RateProbe.CLOCK,
            "broker, producer and apps share one JVM; the registry runs in a child JVM",
            "whole bench (stack start, fill, all runs, stop): " + seconds + " s",
            "command: " + command(args)));
    }

    /** Argus, then the bare count, each on its own and closed before the next: {Argus, bare}. */
    private static Measurement[] runPair(BenchStack stack, EventLog.Filled topic, String label, Duration timeout) {
        int p = topic.partitions();
        Measurement argus = ArgusFoldRun.run(stack.appConfig("argus-p" + p, prefix(p), p), topic.records(), timeout);
        OUT.printf(Locale.ROOT, "P=%d %s  Argus %s%n", p, label, argus);
        Measurement bare = BareCountRun.run(stack.appConfig("bare-p" + p, prefix(p), p), topic.topic(),
            topic.records(), timeout);
        OUT.printf(Locale.ROOT, "P=%d %s  bare  %s%n", p, label, bare);
        return new Measurement[] {argus, bare};
    }

    private static String prefix(int partitions) {
        return "bench-p" + partitions + ".";
    }

    /**
     * The test logging config says INFO for io.argus; a bench run wants the table and real problems only. Streams also
     * warns at every start that the global thread has no processing exception handler (neither app has one).
     */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.log.io.argus",
            System.getProperty("org.slf4j.simpleLogger.log.io.argus", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig",
            System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig", "error"));
    }

    private static ApicurioDistribution locateRegistry() {
        try {
            return ApicurioDistribution.locate();
        } catch (IllegalStateException e) {
            System.err.println("FoldRateBench needs an unpacked Apicurio Registry: pass -D"
                + ApicurioDistribution.HOME_PROPERTY + "=$PWD/target/apicurio-2.6.13.Final (from the repository root)"
                + " or set " + ApicurioDistribution.HOME_ENV + ".");
            System.err.println(e.getMessage());
            throw e;
        }
    }

    /** Under streams-app/target (found from where this class was loaded), else under java.io.tmpdir. */
    private static Path workDir() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path classes = Path.of(FoldRateBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (classes.getFileName().toString().equals("test-classes")) {
                base = classes.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Keep the temporary directory.
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return base.resolve("fold-rate-bench-" + stamp).toAbsolutePath();
    }

    /** The command line of this JVM: mvn's arguments under exec:java, else java and this class's arguments. */
    static String command(String[] args) {
        String launcher = "org.codehaus.plexus.classworlds.launcher.Launcher";
        List<String> jvm = commandLine();
        int at = jvm.indexOf(launcher);
        String where = " (in " + System.getProperty("user.dir") + ")";
        if (at >= 0) {
            return "mvn " + quoted(jvm.subList(at + 1, jvm.size())) + where;
        }
        return "java -cp <test classpath> " + FoldRateBench.class.getName() + " " + quoted(Arrays.asList(args))
            + where;
    }

    private static List<String> commandLine() {
        try {
            String raw = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
            return Arrays.asList(raw.split("\u0000"));
        } catch (IOException | RuntimeException e) {
            return Arrays.asList(System.getProperty("sun.java.command", "").split(" "));
        }
    }

    private static String quoted(List<String> words) {
        return words.stream()
            .map(word -> word.matches("[\\w@%+=:,./$-]*") ? word : "'" + word.replace("'", "'\\''") + "'")
            .collect(Collectors.joining(" "));
    }
}
