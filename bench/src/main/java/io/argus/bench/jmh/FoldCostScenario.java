package io.argus.bench.jmh;

import io.argus.bench.BenchContext;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Item 2's JMH half: the pure fold's cost per event at 100, 10,000 and 100,000 jobs ({@link FoldBenchmark}), one
 * JMH fork per run. The forks run on this JVM's classpath, which holds everything the benchmark needs.
 */
public final class FoldCostScenario implements Scenario {

    private static final int WARMUP_ITERATIONS = 3;
    private static final int MEASUREMENT_ITERATIONS = 5;

    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public List<Figure> run(BenchContext context) throws RunnerException {
        String settings = String.format(Locale.ROOT, "JMH average time, 1 thread, one fork per run: %d x 1 s after"
            + " %d x 1 s of warm-up", MEASUREMENT_ITERATIONS, WARMUP_ITERATIONS);
        Options options = new OptionsBuilder()
            .include(Pattern.quote(FoldBenchmark.class.getName() + "."))
            .forks(context.runs())
            .warmupIterations(WARMUP_ITERATIONS)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(MEASUREMENT_ITERATIONS)
            .measurementTime(TimeValue.seconds(1))
            .threads(1)
            .jvmArgs("-Xmx2g")
            .shouldFailOnError(true)
            .build();
        context.progress("jmh: fold cost per event at 100, 10,000 and 100,000 jobs, %d forks (%s)", context.runs(),
            settings);
        Collection<RunResult> results = new Runner(options).run();
        List<Figure> figures = FoldCostFigures.of(results, settings);
        context.progress("jmh: done, %d figures", figures.size());
        return figures;
    }
}
