package io.argus.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * The evolution rules of the event contract, checked with Avro's own resolution rules: every version must read
 * the data of every earlier one (backward), and every earlier reader must read its data (forward), which together
 * make FULL_TRANSITIVE compatibility.
 *
 * <p>One change cannot be forward compatible in Avro: a new branch in the payload union (a new event type), since
 * an old reader has no branch to put it in. A version that adds one says so with the top-level schema property
 * {@value #COMPATIBILITY_PROPERTY} = {@code BACKWARD}; for that version only the forward check is skipped, and the
 * release notes must say that readers (streams-app, query-service) are upgraded before producers.
 */
public final class SchemaEvolution {

    public static final String COMPATIBILITY_PROPERTY = "argus.compatibility";

    /** A released (or candidate) version of a schema. */
    public record Version(String label, Schema schema) {
        boolean relaxesForward() {
            return "BACKWARD".equals(schema.getProp(COMPATIBILITY_PROPERTY));
        }
    }

    private SchemaEvolution() {
    }

    /**
     * Checks each version against every earlier one, oldest first. Returns one line per broken pair, naming both
     * versions, the direction and Avro's reasons; an empty list means the history is compatible.
     */
    public static List<String> problems(List<Version> oldestFirst) {
        List<String> problems = new ArrayList<>();
        for (int newer = 1; newer < oldestFirst.size(); newer++) {
            Version next = oldestFirst.get(newer);
            for (int older = 0; older < newer; older++) {
                Version previous = oldestFirst.get(older);
                check(next.schema(), previous.schema()).ifPresent(reason -> problems.add(
                    next.label() + " cannot read data written with " + previous.label() + " (backward): " + reason));
                if (!next.relaxesForward()) {
                    check(previous.schema(), next.schema()).ifPresent(reason -> problems.add(
                        previous.label() + " cannot read data written with " + next.label() + " (forward): " + reason));
                }
            }
        }
        return problems;
    }

    private static Optional<String> check(Schema reader, Schema writer) {
        SchemaCompatibilityResult result =
            SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        return result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE
            ? Optional.empty()
            : Optional.of(describe(result));
    }

    /** Avro's incompatibilities as one line: what is wrong and where. */
    public static String describe(SchemaCompatibilityResult result) {
        return result.getIncompatibilities().stream()
            .map(SchemaEvolution::describe)
            .collect(Collectors.joining("; "));
    }

    /**
     * Avro reports a changed payload record as a missing union branch, since no reader branch accepts it. When the
     * reader's union does hold a record of that name, the reason inside that record is the useful one.
     */
    private static String describe(Incompatibility incompatibility) {
        String line = incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
            + incompatibility.getMessage();
        if (incompatibility.getType() != SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
            return line;
        }
        return writerBranch(incompatibility)
            .flatMap(writer -> incompatibility.getReaderFragment().getTypes().stream()
                .filter(branch -> branch.getType() == Schema.Type.RECORD
                    && branch.getFullName().equals(writer.getFullName()))
                .findFirst()
                .map(reader -> line + ", because in " + writer.getName() + ": "
                    + describe(SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult())))
            .orElse(line);
    }

    /** The writer's union branch the location points at: Avro locations end with the branch index. */
    private static Optional<Schema> writerBranch(Incompatibility incompatibility) {
        Schema writer = incompatibility.getWriterFragment();
        Schema reader = incompatibility.getReaderFragment();
        String location = incompatibility.getLocation();
        String last = location.substring(location.lastIndexOf('/') + 1);
        if (writer.getType() != Schema.Type.UNION || reader.getType() != Schema.Type.UNION
            || !last.chars().allMatch(Character::isDigit) || last.isEmpty()) {
            return Optional.empty();
        }
        int index = Integer.parseInt(last);
        return index < writer.getTypes().size() && writer.getTypes().get(index).getType() == Schema.Type.RECORD
            ? Optional.of(writer.getTypes().get(index))
            : Optional.empty();
    }
}
