package io.argus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.SchemaEvolution.Version;
import io.argus.schemas.avro.ArgusEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** Every released schema must stay FULL_TRANSITIVE compatible; the check must bite on a breaking change. */
class SchemaEvolutionTest {

    private static final Path RELEASED = Path.of("released");
    private static final Pattern VERSION_FILE = Pattern.compile("argus-event-v(\\d+)\\.avsc");

    @Test
    void releasedVersionsAndTheCurrentSchemaAreFullTransitiveCompatible() {
        List<Version> history = releasedVersions();
        history.add(new Version("current", ArgusEvent.getClassSchema()));

        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        assertThat(SchemaEvolution.problems(history)).isEmpty();
    }

    @Test
    void theCurrentSchemaIsReleased() {
        List<Version> released = releasedVersions();
        Schema latest = released.get(released.size() - 1).schema();
        // Generated classes add "avro.java.string" properties; the parsing form ignores them.
        assertThat(SchemaNormalization.toParsingForm(ArgusEvent.getClassSchema()))
            .as("src/main/avro/argus-event.avsc changed: release it as the next released/argus-event-vN.avsc")
            .isEqualTo(SchemaNormalization.toParsingForm(latest));
    }

    @Test
    void addingOptionalFieldsWithDefaultsIsCompatible() {
        List<Version> history = releasedVersions();
        history.add(new Version("compatible-v2", testSchema("compatible-v2.avsc")));

        assertThat(SchemaEvolution.problems(history)).isEmpty();
    }

    @Test
    void aRequiredFieldWithoutDefaultIsRefusedWithItsLocation() {
        List<Version> history = releasedVersions();
        history.add(new Version("incompatible-v2", testSchema("incompatible-v2.avsc")));

        List<String> problems = SchemaEvolution.problems(history);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0))
            .startsWith("incompatible-v2 cannot read data written with v1 (backward)")
            .contains("READER_FIELD_MISSING_DEFAULT")
            .contains("gpu_hours");
    }

    @Test
    void aNewEventTypeBreaksOldReadersUnlessTheVersionDeclaresBackwardOnly() {
        List<Version> undeclared = releasedVersions();
        undeclared.add(new Version("v2", testSchema("new-event-type-undeclared.avsc")));
        List<Version> declared = releasedVersions();
        declared.add(new Version("v2", testSchema("new-event-type-declared.avsc")));

        assertThat(SchemaEvolution.problems(undeclared)).singleElement().asString()
            .startsWith("v1 cannot read data written with v2 (forward)")
            .contains("MISSING_UNION_BRANCH");
        assertThat(SchemaEvolution.problems(declared)).isEmpty();
    }

    private static List<Version> releasedVersions() {
        List<Version> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(RELEASED)) {
            files.map(file -> VERSION_FILE.matcher(file.getFileName().toString()))
                .filter(Matcher::matches)
                .sorted(Comparator.comparingInt(m -> Integer.parseInt(m.group(1))))
                .forEach(m -> versions.add(new Version("v" + m.group(1), parse(RELEASED.resolve(m.group())))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(versions).as("released schema versions under %s", RELEASED.toAbsolutePath()).isNotEmpty();
        return versions;
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema testSchema(String name) {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/evolution/" + name)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
