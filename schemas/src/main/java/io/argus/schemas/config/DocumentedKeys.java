package io.argus.schemas.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration table of a module's README, read so that a test holds it against the keys the module's
 * configuration class declares ({@link #differences}): the README cannot drift from the code.
 *
 * <p>The table is the one under the {@code ## Configuration} heading, one row per key (or several keys, comma
 * separated, with their variables and defaults in the same order): {@code | key | environment | default | meaning |}.
 * Keys, variables and defaults are in backticks; a default cell of {@code empty} is the empty string, and one that
 * does not start with a backtick ({@code none}, or words such as "HTTP host and port") means no default value. Words
 * after the backticked default (a unit, another command's value) are comments.
 */
public final class DocumentedKeys {

    private static final String SECTION = "## Configuration";
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");

    /** One documented key. */
    public record Row(String key, Optional<String> variable, Optional<String> defaultValue, String meaning) {
    }

    private DocumentedKeys() {
    }

    public static List<Row> read(Path readme) {
        try {
            return parse(Files.readAllLines(readme));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme.toAbsolutePath(), e);
        }
    }

    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                inSection = line.strip().equals(SECTION);
            } else if (inSection && line.startsWith("| `")) {
                rows.addAll(rows(line));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no key table under '" + SECTION + "'");
        }
        return rows;
    }

    private static List<Row> rows(String line) {
        String inner = line.strip();
        String[] cells = inner.substring(1, inner.length() - 1).split(" \\| ", -1);
        if (cells.length != 4) {
            throw new IllegalArgumentException("a key row has 4 cells (key, environment, default, meaning): " + line);
        }
        List<String> keys = backticked(cells[0]);
        List<String> variables = backticked(cells[1]);
        String defaultCell = cells[2].strip();
        List<String> defaults = defaultCell.startsWith("`") ? backticked(defaultCell) : List.of();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Optional<String> variable =
                variables.size() == keys.size() ? Optional.of(variables.get(i)) : Optional.empty();
            Optional<String> defaultValue = defaultCell.equals("empty") ? Optional.of("")
                : i < defaults.size() ? Optional.of(defaults.get(i)) : Optional.empty();
            rows.add(new Row(keys.get(i), variable, defaultValue, cells[3].strip()));
        }
        return rows;
    }

    private static List<String> backticked(String cell) {
        List<String> values = new ArrayList<>();
        Matcher matcher = BACKTICKED.matcher(cell);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    /**
     * What the README says that the code does not, one sentence each: a key of {@code mustBeDocumented} missing, a
     * documented key that {@code declared} does not know, a variable or default that differs, a meaning left out.
     * Empty when they agree.
     */
    public static List<String> differences(List<Row> documented, ConfigKeys declared,
                                           Collection<String> mustBeDocumented) {
        List<String> differences = new ArrayList<>();
        List<String> documentedKeys = documented.stream().map(Row::key).toList();
        mustBeDocumented.stream().filter(key -> !documentedKeys.contains(key))
            .forEach(key -> differences.add(key + " is not documented"));
        for (Row row : documented) {
            Optional<ConfigKey> key = declared.find(row.key());
            if (key.isEmpty()) {
                differences.add(row.key() + " is documented but not declared");
                continue;
            }
            if (!row.variable().equals(key.get().variable())) {
                differences.add(row.key() + ": documented variable " + row.variable().orElse("none") + ", declared "
                    + key.get().variable().orElse("none"));
            }
            if (!row.defaultValue().equals(key.get().defaultValue())) {
                differences.add(row.key() + ": documented default " + row.defaultValue().map(v -> "'" + v + "'")
                    .orElse("none") + ", declared " + key.get().defaultValue().map(v -> "'" + v + "'").orElse("none"));
            }
            if (row.meaning().isEmpty()) {
                differences.add(row.key() + " has no meaning documented");
            }
        }
        return differences;
    }
}
