package io.argus.bench;

import io.argus.bench.fold.Mix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's command line: {@code --events N} (default 1,000,000), {@code --runs R} (default 3, at least 3 for a
 * report), {@code --only fold,growth,...} (default all), {@code --out FILE} (default docs/benchmarks.md; {@code -}
 * prints only), {@code --work-dir DIR} (default target/bench-work), {@code --jfr true} (each service records a Java
 * Flight Recorder profile into {@code <work-dir>/logs/<service>.jfr}, for finding where the time goes),
 * {@code --set ARGUS_KEY=VALUE} (repeatable: a setting for every service the bench starts, to measure its effect),
 * {@code --jvm OPTION} (repeatable: a JVM option for every service, for example {@code -XX:+UseZGC}),
 * {@code --baselines false} (the fold scenario runs Argus only, to compare versions of Argus quickly),
 * {@code --mix realistic,spread} (default both: the event mixes the fold scenario folds, {@link Mix}).
 */
public record BenchOptions(int events, int runs, Set<String> only, Path out, Path workDir, boolean jfr,
                           Map<String, String> serviceSettings, List<String> serviceJvmOptions, boolean baselines,
                           List<Mix> mixes) {

    public static final int DEFAULT_EVENTS = 1_000_000;
    public static final int DEFAULT_RUNS = 3;

    public static BenchOptions parse(String... args) {
        int events = DEFAULT_EVENTS;
        int runs = DEFAULT_RUNS;
        Set<String> only = new LinkedHashSet<>();
        Path out = Path.of("docs", "benchmarks.md");
        Path workDir = Path.of("target", "bench-work");
        boolean jfr = false;
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> jvmOptions = new ArrayList<>();
        boolean baselines = true;
        List<Mix> mixes = List.of(Mix.values());
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.isBlank()) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--events" -> events = positive(flag, value);
                case "--runs" -> runs = positive(flag, value);
                case "--only" -> only.addAll(Arrays.asList(value.split(",")));
                case "--out" -> out = value.equals("-") ? null : Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--jfr" -> jfr = Boolean.parseBoolean(value);
                case "--set" -> {
                    int equals = value.indexOf('=');
                    if (!value.startsWith("ARGUS_") || equals < 0) {
                        throw new IllegalArgumentException("--set takes ARGUS_KEY=VALUE, got '" + value + "'");
                    }
                    settings.put(value.substring(0, equals), value.substring(equals + 1));
                }
                case "--jvm" -> jvmOptions.add(value);
                case "--baselines" -> baselines = Boolean.parseBoolean(value);
                case "--mix" -> mixes = Arrays.stream(value.split(",")).map(Mix::named).distinct().toList();
                default -> throw new IllegalArgumentException("unknown option " + flag
                    + " (known: --events, --runs, --only, --out, --work-dir, --jfr, --set, --jvm, --baselines, --mix)");
            }
        }
        return new BenchOptions(events, runs, Set.copyOf(only), out, workDir.toAbsolutePath(), jfr,
            Map.copyOf(settings), List.copyOf(jvmOptions), baselines, mixes);
    }

    /** True when {@code --only} was not given or names this scenario. */
    public boolean selected(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new IllegalArgumentException(flag + " takes a positive whole number, got '" + value + "'");
    }
}
