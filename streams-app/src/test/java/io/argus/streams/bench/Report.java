package io.argus.streams.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the runs and prints the table: median (min-max) events/s per app and partition count. */
final class Report {

    private final Map<Integer, List<Measurement>> argus = new LinkedHashMap<>();
    private final Map<Integer, List<Measurement>> bare = new LinkedHashMap<>();

    void add(int partitions, Measurement argusRun, Measurement bareRun) {
        argus.computeIfAbsent(partitions, p -> new ArrayList<>()).add(argusRun);
        bare.computeIfAbsent(partitions, p -> new ArrayList<>()).add(bareRun);
    }

    void print(PrintStream out, List<String> header) {
        header.forEach(out::println);
        out.println();
        out.println("| partitions | Argus events/s median (min-max) | bare count events/s median (min-max) "
            + "| Argus/bare (median) |");
        out.println("|-----------:|--------------------------------:|-------------------------------------:"
            + "|--------------------:|");
        argus.forEach((partitions, runs) -> {
            Stats a = Stats.of(runs);
            Stats b = Stats.of(bare.get(partitions));
            out.printf(Locale.ROOT, "| %10d | %31s | %36s | %19.3f |%n", partitions, a, b, a.median() / b.median());
        });
    }

    /** The machine line: cores, this JVM's max heap, the machine's memory when /proc/meminfo is readable. */
    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "machine: %d cores (availableProcessors), max heap %.1f GiB, memory %s;"
                + " Java %s", runtime.availableProcessors(), runtime.maxMemory() / (double) (1L << 30), memTotal(),
            System.getProperty("java.version"));
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB (MemTotal)", kib / (double) (1L << 20));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: say so.
        }
        return "unknown (/proc/meminfo not readable)";
    }

    record Stats(double median, double min, double max) {

        static Stats of(List<Measurement> runs) {
            double[] rates = runs.stream().mapToDouble(Measurement::eventsPerSecond).sorted().toArray();
            int mid = rates.length / 2;
            double median = rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
            return new Stats(median, rates[0], rates[rates.length - 1]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", median, min, max);
        }
    }
}
