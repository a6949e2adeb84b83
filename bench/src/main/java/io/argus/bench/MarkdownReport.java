package io.argus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The results as Markdown: the machine, the command, then one table per section with median, min and max. In
 * {@code docs/benchmarks.md} it replaces only the part between its two markers, so the hand-written analysis around
 * it stays.
 */
final class MarkdownReport {

    static final String BEGIN = "<!-- bench:results:begin (written by the bench tool; edits here are overwritten) -->";
    static final String END = "<!-- bench:results:end -->";

    private MarkdownReport() {
    }

    static String render(List<Figure> figures, String command, String date, long seconds, int runs) {
        StringBuilder md = new StringBuilder();
        md.append("Measured on ").append(date).append(" with `").append(command).append("` in ")
            .append(seconds / 60).append(" min ").append(seconds % 60).append(" s.\n\n");
        md.append("Machine: ").append(machine()).append(".\n");
        md.append("Every figure is the median of ").append(runs).append(" runs, with the min and max beside it.\n");
        Map<String, List<Figure>> sections = new LinkedHashMap<>();
        figures.stream().sorted(java.util.Comparator.comparing(Figure::section))
            .forEach(f -> sections.computeIfAbsent(f.section(), s -> new java.util.ArrayList<>()).add(f));
        sections.forEach((section, rows) -> {
            md.append("\n### ").append(section).append("\n\n");
            md.append("| measure | median | min | max | unit | how |\n");
            md.append("|---|---:|---:|---:|---|---|\n");
            for (Figure f : rows) {
                md.append("| ").append(f.name()).append(" | ").append(f.format(f.median())).append(" | ")
                    .append(f.format(f.min())).append(" | ").append(f.format(f.max())).append(" | ").append(f.unit())
                    .append(" | ").append(f.note()).append(" |\n");
            }
        });
        return md.toString();
    }

    /** Cores, memory, CPU, Java and Kafka versions. */
    static String machine() {
        long memoryKiB = 0;
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // Not Linux: the cores and Java still say something.
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB memory, %s %s, Kafka %s",
            Runtime.getRuntime().availableProcessors(), cpu, memoryKiB / (1024.0 * 1024), System.getProperty(
                "java.vm.name"), System.getProperty("java.version"), AppInfoParser.getVersion())
            + "; " + ManagementFactory.getOperatingSystemMXBean().getName();
    }

    /** Puts the results between the markers of {@code file}, appending the markers when it has none. */
    static void writeInto(Path file, String results) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            String block = BEGIN + "\n" + results + END;
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text + (text.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
