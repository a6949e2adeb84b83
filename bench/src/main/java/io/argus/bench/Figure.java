package io.argus.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One measured quantity over repeated runs: the report shows its median with the min and max beside it, because
 * this machine varies by about 30% between runs.
 *
 * @param section the report section it belongs to, for example {@code "1. Fold throughput"}
 * @param name    what was measured, for example {@code "Argus fold (exactly_once_v2)"}
 * @param unit    {@code events/s}, {@code ms}, {@code MiB}, {@code s}, {@code ratio}...
 * @param runs    one value per run, in run order
 * @param note    how it was measured, in a few words (may be empty)
 */
public record Figure(String section, String name, String unit, List<Double> runs, String note) {

    public Figure {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one run: " + name);
        }
        runs = List.copyOf(runs);
    }

    public static Figure of(String section, String name, String unit, List<Double> runs, String note) {
        return new Figure(section, name, unit, runs, note);
    }

    /** The middle value; for an even count, the mean of the two middle ones. */
    public double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        return sorted().get(runs.size() - 1);
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(runs);
        Collections.sort(sorted);
        return sorted;
    }

    /** A value in this figure's unit: thousands separated, decimals only where they say something. */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** For example {@code 61,234 events/s (55,100-66,020, 3 runs)}. */
    @Override
    public String toString() {
        return name + ": " + format(median()) + " " + unit + " (" + format(min()) + "-" + format(max()) + ", "
            + runs.size() + " runs)";
    }
}
