package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What each module's main code may import (docs/architecture.md, "Modules and what each owns"), checked by scanning
 * the import lines of every main source file of the repository. A rule names the packages a part must not import;
 * the test fails with every file and import that breaks one.
 */
class ArchitectureRulesTest {

    /** The repository root: the tests run in query-service/. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private static final List<String> HTTP = List.of("io.javalin", "org.eclipse.jetty", "jakarta.servlet");
    private static final List<String> BROKER = List.of("kafka.", "org.apache.kafka.server", "org.apache.kafka.raft",
        "org.apache.kafka.controller", "org.apache.kafka.storage", "org.apache.kafka.metadata");
    /** The test-stack module, JUnit and Kafka's test kit: no main code but the test stack's own and the bench's. */
    private static final List<String> TEST_STACK = List.of("io.argus.teststack", "org.junit",
        "org.apache.kafka.common.test");

    /** A part of the code (a module's main sources, or one package of them) and what it must not import. */
    private record Rule(String part, Path sources, List<String> forbidden) {

        @SafeVarargs
        static Rule of(String part, String sources, List<String>... forbidden) {
            return new Rule(part, ROOT.resolve(sources), Stream.of(forbidden).flatMap(List::stream).toList());
        }
    }

    private static final Rule FOLD = Rule.of("the fold: a pure function of state and event",
        "streams-app/src/main/java/io/argus/streams/fold",
        List.of("org.apache.kafka", "org.rocksdb", "io.argus.streams.app", "io.argus.streams.topology",
            "io.argus.streams.view", "io.argus.query", "io.argus.embedded", "java.time.Clock", "java.util.Random",
            "java.util.UUID"), HTTP, BROKER, TEST_STACK);

    private static final List<Rule> RULES = List.of(
        Rule.of("owner-lock: the JDK only", "owner-lock/src/main/java",
            List.of("io.argus.schemas", "io.argus.registry", "io.argus.streams", "io.argus.query", "io.argus.producer",
                "io.argus.embedded", "io.argus.teststack", "org.", "com.", "kafka.", "io.javalin", "jakarta.")),
        Rule.of("schemas: events, topics, wire format", "schemas/src/main/java",
            List.of("io.argus.streams", "io.argus.query", "io.argus.producer", "io.argus.embedded",
                "org.apache.kafka.streams"), HTTP, BROKER, TEST_STACK),
        Rule.of("registry-client", "registry-client/src/main/java",
            List.of("io.argus.schemas", "io.argus.streams", "io.argus.query", "io.argus.producer",
                "io.argus.embedded", "io.argus.lock", "org.apache.kafka"), HTTP, BROKER, TEST_STACK),
        Rule.of("producer-lib: the SDK", "producer-lib/src/main/java",
            List.of("io.argus.streams", "io.argus.query", "io.argus.embedded", "org.apache.kafka.streams",
                "org.rocksdb"), HTTP, BROKER, TEST_STACK),
        FOLD,
        Rule.of("streams-app: topology, stores, commands", "streams-app/src/main/java",
            List.of("io.argus.query", "io.argus.producer", "io.argus.embedded"), HTTP, BROKER, TEST_STACK),
        Rule.of("query-service: the HTTP API", "query-service/src/main/java/io/argus/query",
            List.of("io.argus.producer", "io.argus.embedded"), BROKER, TEST_STACK),
        Rule.of("query-service: the local Argus", "query-service/src/main/java/io/argus/query/local",
            List.of("io.argus.producer"), TEST_STACK),
        Rule.of("embedded-stack: the local Argus's broker and registry", "embedded-stack/src/main/java",
            List.of("io.argus.streams", "io.argus.query", "io.argus.producer"), TEST_STACK),
        Rule.of("test-stack: the JUnit stack over the broker and registry", "test-stack/src/main/java",
            List.of("io.argus.streams", "io.argus.query", "io.argus.producer")));

    @Test
    void noModuleImportsWhatItMustNot() {
        List<String> broken = new ArrayList<>();
        int files = 0;
        for (Rule rule : RULES) {
            for (Path file : javaFiles(rule)) {
                files++;
                Matcher imports = IMPORT.matcher(read(file));
                while (imports.find()) {
                    String imported = imports.group(1);
                    rule.forbidden().stream().filter(imported::startsWith).findFirst().ifPresent(prefix ->
                        broken.add(rule.part() + ": " + ROOT.relativize(file) + " imports " + imported));
                }
            }
        }
        assertThat(files).as("main sources scanned").isGreaterThan(100);
        assertThat(broken).as("imports that break docs/architecture.md's rules").isEmpty();
    }

    @Test
    void theFoldReadsNoClock() {
        Pattern clock = Pattern.compile("Instant\\.now\\(|System\\.currentTimeMillis\\(|System\\.nanoTime\\(|"
            + "LocalDate(Time)?\\.now\\(");
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(FOLD)) {
            if (clock.matcher(read(file)).find()) {
                found.add(ROOT.relativize(file).toString());
            }
        }
        assertThat(found).as("fold sources that read the wall clock (time-dependent views are computed at query "
            + "time)").isEmpty();
    }

    /** The part's own files: a module rule does not reach into another rule's package below it. */
    private static List<Path> javaFiles(Rule rule) {
        assertThat(rule.sources()).as(rule.part()).isDirectory();
        boolean wholeModule = rule.sources().endsWith(Path.of("src/main/java"));
        try (Stream<Path> paths = Files.walk(rule.sources())) {
            return paths.filter(path -> path.toString().endsWith(".java"))
                .filter(path -> wholeModule || !isBelowAnotherRule(rule, path))
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBelowAnotherRule(Rule rule, Path file) {
        return RULES.stream().anyMatch(other -> other != rule && other.sources().startsWith(rule.sources())
            && !other.sources().equals(rule.sources()) && file.startsWith(other.sources()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
