package io.argus.streams.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What to run: {@code --events N} (default 200000), {@code --runs R} (3 of each app per partition count),
 * {@code --partitions 1,3}, {@code --warmup W} (default 0: W untimed runs of each app on the first partition count,
 * to warm the JIT before the timed ones). Each also reads a system property ({@code argus.bench.events},
 * {@code argus.bench.runs}, {@code argus.bench.partitions}, {@code argus.bench.warmup}); an argument wins.
 */
record BenchOptions(int events, int runs, List<Integer> partitions, int warmup) {

    static final String USAGE = "usage: FoldRateBench [--events N] [--runs R] [--partitions 1,3] [--warmup W]";

    BenchOptions {
        if (events < 1 || runs < 1 || warmup < 0 || partitions.isEmpty() || partitions.stream().anyMatch(p -> p < 1)) {
            throw new IllegalArgumentException("events, runs and partitions must be positive, warmup >= 0. " + USAGE);
        }
        partitions = List.copyOf(partitions);
    }

    static BenchOptions parse(String[] args) {
        String events = System.getProperty("argus.bench.events", "200000");
        String runs = System.getProperty("argus.bench.runs", "3");
        String partitions = System.getProperty("argus.bench.partitions", "1,3");
        String warmup = System.getProperty("argus.bench.warmup", "0");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--events" -> events = required(args[i], value);
                case "--runs" -> runs = required(args[i], value);
                case "--partitions" -> partitions = required(args[i], value);
                case "--warmup" -> warmup = required(args[i], value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'. " + USAGE);
            }
            i++;
        }
        try {
            return new BenchOptions(Integer.parseInt(events.replace("_", "")), Integer.parseInt(runs),
                Arrays.stream(partitions.split(",")).map(String::trim).map(Integer::valueOf).toList(),
                Integer.parseInt(warmup));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: " + e.getMessage() + ". " + USAGE, e);
        }
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " needs a value. " + USAGE);
        }
        return value;
    }
}
