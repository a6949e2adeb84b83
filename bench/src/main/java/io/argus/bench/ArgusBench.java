package io.argus.bench;

import io.argus.bench.fold.FoldThroughputScenario;
import io.argus.bench.fold.GrowthScenario;
import io.argus.bench.fold.RebuildScenario;
import io.argus.bench.fold.MainEventLog;
import io.argus.bench.http.EndToEndScenario;
import io.argus.bench.http.IngestScenario;
import io.argus.bench.http.QueryLatencyScenario;
import io.argus.bench.jmh.FoldCostScenario;
import io.argus.bench.latency.FreshnessScenario;
import io.argus.bench.latency.ReporterScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark tool: starts a real broker and registry, runs the selected scenarios against them (each service,
 * baseline and load generator in its own JVM), prints every figure and writes the tables into
 * {@code docs/benchmarks.md}. Run it as README.md says: {@code mvn -B -ntp -DskipTests -Pbench verify}, with
 * options through {@code -Dargus.bench.args="--events 200000 --only fold"} ({@link BenchOptions}).
 */
public final class ArgusBench {

    static final String COMMAND = "mvn -B -ntp -DskipTests -Pbench verify";

    private ArgusBench() {
    }

    static List<Scenario> scenarios() {
        return List.of(new FoldThroughputScenario(), new GrowthScenario(), new FoldCostScenario(),
            new FreshnessScenario(), new QueryLatencyScenario(), new IngestScenario(), new RebuildScenario(),
            new ReporterScenario(), new EndToEndScenario());
    }

    public static void main(String[] args) {
        quietLogging();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Scenario> selected = scenarios().stream().filter(s -> options.selected(s.name())).toList();
        if (selected.isEmpty()) {
            System.err.println("bench: --only names no scenario; known: "
                + scenarios().stream().map(Scenario::name).toList());
            System.exit(2);
        }
        PrintStream out = System.out;
        long started = System.nanoTime();
        deleteTree(options.workDir());
        List<Figure> figures = new ArrayList<>();
        try (BenchStack stack = BenchStack.start(options.workDir())) {
            BenchContext context = new BenchContext(options, stack, options.workDir(), out,
                new MainEventLog());
            for (Scenario scenario : selected) {
                context.progress("%s: starting", scenario.name());
                List<Figure> result = scenario.run(context);
                result.forEach(f -> context.progress("%s", f));
                figures.addAll(result);
            }
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String command = COMMAND + (args.length == 0 ? "" : " -Dargus.bench.args=\"" + String.join(" ", args)
            + "\"");
        Map<String, String> sections = MarkdownReport.render(figures, command, LocalDate.now().toString(),
            options.runs());
        out.println();
        out.println(MarkdownReport.block(sections));
        out.printf(Locale.ROOT, "the bench took %d min %d s%n", seconds / 60, seconds % 60);
        if (options.out() != null) {
            MarkdownReport.writeInto(options.out(), sections);
            out.println("written into " + options.out().toAbsolutePath());
        }
        System.exit(0);
    }

    /** INFO from Kafka is hundreds of lines; the bench prints its own progress. A -D wins. */
    private static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
