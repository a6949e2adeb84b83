package io.argus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The results as Markdown: the machine, then one table per section with median, min and max and the command that
 * measured it. In {@code docs/benchmarks.md} it writes only between its two markers, so the hand-written analysis
 * around them stays, and only the sections measured now, so a partial run leaves the others as they were.
 */
final class MarkdownReport {

    static final String BEGIN = "<!-- bench:results:begin (written by the bench tool; edits here are overwritten) -->";
    static final String END = "<!-- bench:results:end -->";
    private static final String SECTION_MARK = "### ";

    private MarkdownReport() {
    }

    /** Each section's title and its text: the line that says how it was measured, then its table. */
    static Map<String, String> render(List<Figure> figures, String command, String date, int runs) {
        Map<String, List<Figure>> bySection = new TreeMap<>();
        figures.forEach(f -> bySection.computeIfAbsent(f.section(), title -> new ArrayList<>()).add(f));
        Map<String, String> sections = new TreeMap<>();
        bySection.forEach((title, rows) -> {
            StringBuilder md = new StringBuilder();
            md.append("_Measured on ").append(date).append(" with `").append(command).append("`; the median of ")
                .append(runs).append(runs == 1 ? " run" : " runs").append(", min and max beside it._\n\n");
            md.append("| measure | median | min | max | unit | how |\n");
            md.append("|---|---:|---:|---:|---|---|\n");
            for (Figure f : rows) {
                md.append("| ").append(f.name()).append(" | ").append(f.format(f.median())).append(" | ")
                    .append(f.format(f.min())).append(" | ").append(f.format(f.max())).append(" | ").append(f.unit())
                    .append(" | ").append(f.note()).append(" |\n");
            }
            sections.put(title, md.toString());
        });
        return sections;
    }

    /** The whole block: the machine, then the sections in the order of their numbers. */
    static String block(Map<String, String> sections) {
        StringBuilder md = new StringBuilder("Machine: ").append(machine()).append(".\n");
        sections.forEach((title, text) -> md.append("\n").append(SECTION_MARK).append(title).append("\n\n")
            .append(text));
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

    /**
     * Puts the sections between the markers of {@code file} (appending the markers when it has none): a section
     * measured now replaces the one of the same title, the others stay, so {@code --only fold} updates item 1 only.
     */
    static void writeInto(Path file, Map<String, String> measured) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            boolean marked = begin >= 0 && end > begin;
            Map<String, String> sections = marked ? sections(text.substring(begin + BEGIN.length(), end))
                : new TreeMap<>();
            sections.putAll(measured);
            String block = BEGIN + "\n" + block(sections) + END;
            String updated = marked ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text + (text.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The sections of a block written before, by title. */
    private static Map<String, String> sections(String block) {
        Map<String, String> sections = new TreeMap<>();
        String[] parts = block.split("\n" + SECTION_MARK, -1);
        for (int i = 1; i < parts.length; i++) {
            int titleEnd = parts[i].indexOf('\n');
            sections.put(parts[i].substring(0, titleEnd), parts[i].substring(titleEnd + 1).strip() + "\n");
        }
        return sections;
    }
}
