package io.argus.bench.jmh;

import io.argus.bench.Figure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH's results as the report's figures: per benchmark, the cost per event at each batch size (one value per fork),
 * then each fork's cost as a multiple of the median at the smallest size, which stays near 1 if the cost does not
 * grow with the batch.
 */
final class FoldCostFigures {

    static final String SECTION = "2. Growth: pure fold per-event cost (JMH)";

    private FoldCostFigures() {
    }

    static List<Figure> of(Collection<RunResult> results, String settings) {
        Map<String, SortedMap<Integer, List<Double>>> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            scores.computeIfAbsent(label(params.getBenchmark()), benchmark -> new TreeMap<>())
                .put(Integer.parseInt(params.getParam("jobs")), forkScores(result));
        }
        List<Figure> figures = new ArrayList<>();
        scores.forEach((benchmark, byJobs) -> figures.addAll(figuresOf(benchmark, byJobs, settings)));
        return figures;
    }

    private static List<Figure> figuresOf(String benchmark, SortedMap<Integer, List<Double>> byJobs, String settings) {
        List<Figure> costs = new ArrayList<>();
        byJobs.forEach((jobs, runs) ->
            costs.add(Figure.of(SECTION, name(benchmark, jobs), "ns/event", runs, settings)));
        int smallest = byJobs.firstKey();
        double baseline = costs.get(0).median();
        List<Figure> figures = new ArrayList<>(costs);
        byJobs.forEach((jobs, runs) -> figures.add(Figure.of(SECTION, name(benchmark, jobs) + " vs " + smallest,
            "x smallest", runs.stream().map(run -> run / baseline).toList(),
            "each fork's cost / the median at " + smallest + " jobs")));
        return figures;
    }

    /** One score per fork: JMH gives a run's forks as its benchmark results. */
    private static List<Double> forkScores(RunResult result) {
        return result.getBenchmarkResults().stream().map(b -> (Result<?>) b.getPrimaryResult())
            .map(Result::getScore).map(Double::valueOf).toList();
    }

    private static String label(String benchmark) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        return switch (method) {
            case "fold" -> "pure fold";
            case "foldWithSerde" -> "fold + state serde round trip";
            default -> method;
        };
    }

    private static String name(String benchmark, int jobs) {
        return String.format(Locale.ROOT, "%s, %,d jobs", benchmark, jobs);
    }
}
