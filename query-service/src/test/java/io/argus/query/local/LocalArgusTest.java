package io.argus.query.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Argus's settings and its demo script, without starting anything. */
class LocalArgusTest {

    @Test
    void theEmbeddedDefaultRunsOnlyWhenNothingNamesAKafkaARegistryOrAConfigFile() {
        assertThat(LocalArgus.isDefaultFor(Map.of())).isTrue();
        assertThat(LocalArgus.isDefaultFor(Map.of("ARGUS_HTTP_PORT", "9000", "ARGUS_KAFKA_BOOTSTRAP", " "))).isTrue();
        assertThat(LocalArgus.isDefaultFor(Map.of("ARGUS_KAFKA_BOOTSTRAP", "kafka:9092"))).isFalse();
        assertThat(LocalArgus.isDefaultFor(Map.of("ARGUS_REGISTRY_URL", "http://r:8081"))).isFalse();
        assertThat(LocalArgus.isDefaultFor(Map.of("ARGUS_CONFIG_FILE", "argus.properties"))).isFalse();
    }

    @Test
    void theDataDirectoryIsArgusDataInTheWorkingDirectoryUnlessConfigured(@TempDir Path workingDir) {
        assertThat(LocalArgus.dataDir(Map.of(), workingDir)).isEqualTo(workingDir.resolve("argus-data"));
        assertThat(LocalArgus.dataDir(Map.of("ARGUS_DATA_DIR", "runs/../state"), workingDir))
            .isEqualTo(workingDir.resolve("state"));
        assertThat(LocalArgus.dataDir(Map.of("ARGUS_DATA_DIR", "/var/lib/argus"), workingDir))
            .isEqualTo(Path.of("/var/lib/argus"));
    }

    @Test
    void theKafkaPortIs9092UnlessConfiguredAndMustBeAPort() {
        assertThat(LocalArgus.kafkaPort(Map.of())).isEqualTo(9092);
        assertThat(LocalArgus.kafkaPort(Map.of("ARGUS_EMBEDDED_KAFKA_PORT", " 29092 "))).isEqualTo(29092);
        assertThatThrownBy(() -> LocalArgus.kafkaPort(Map.of("ARGUS_EMBEDDED_KAFKA_PORT", "kafka")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARGUS_EMBEDDED_KAFKA_PORT");
        assertThatThrownBy(() -> LocalArgus.kafkaPort(Map.of("ARGUS_EMBEDDED_KAFKA_PORT", "70000")))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryIsFoundBesideTheJar(@TempDir Path target) throws Exception {
        Path jar = Files.writeString(target.resolve("argus.jar"), "");
        assertThat(LocalStack.unpackedRegistryBeside(jar)).isEmpty();

        Path home = Files.createDirectories(target.resolve("apicurio-2.6.13.Final"));
        Files.writeString(home.resolve("apicurio-registry-app-2.6.13.Final-runner.jar"), "");
        Files.createDirectories(target.resolve("apicurio-empty"));

        assertThat(LocalStack.unpackedRegistryBeside(jar)).contains(home);
    }

    @Test
    void theDemoHasFixedIdsSoASecondRunDuplicatesNothing() {
        List<Map<String, Object>> first = events(Instant.parse("2026-11-23T10:00:00Z"));
        List<Map<String, Object>> later = events(Instant.parse("2026-11-24T18:30:00Z"));

        List<Object> ids = first.stream().map(e -> e.get("event_id")).toList();
        assertThat(ids).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(later.stream().map(e -> e.get("event_id")).toList()).isEqualTo(ids);
        assertThat(first).allSatisfy(e ->
            assertThat(Instant.parse((String) e.get("ts"))).isBeforeOrEqualTo(Instant.parse("2026-11-23T10:00:00Z")));
    }

    @Test
    void theDemoSweepCrashesWithoutBatchDoneAndItsResumeRunsOnlyWhatWasLeft() {
        List<List<Map<String, Object>>> launches = DemoLauncher.launches(Instant.parse("2026-11-23T10:00:00Z"));
        List<Map<String, Object>> crashed = launches.get(0);
        List<Map<String, Object>> resumed = launches.get(1);

        assertThat(crashed).allMatch(e -> e.get("batch_id").equals(DemoLauncher.SWEEP));
        assertThat(crashed).extracting(e -> e.get("type")).doesNotContain("batch_done");
        List<Object> doneFirst = jobsDone(crashed);
        List<Object> doneOnResume = jobsDone(resumed);
        assertThat(doneFirst).hasSize(6).doesNotContain(DemoLauncher.INTERRUPTED_JOB);
        assertThat(doneOnResume).hasSize(6).contains(DemoLauncher.INTERRUPTED_JOB).doesNotContainAnyElementsOf(doneFirst);
        assertThat(resumed.get(0).get("type")).isEqualTo("batch_start");
        assertThat(resumed.get(resumed.size() - 1)).containsEntry("type", "batch_done").containsEntry("status", "done");
        assertThat(crashed).filteredOn(e -> e.get("type").equals("job_failed"))
            .extracting(e -> e.get("job_id") + "@" + e.get("attempt") + "#" + e.get("rank"))
            .containsExactly(DemoLauncher.FLAKY_JOB + "@1#0", DemoLauncher.FLAKY_JOB + "@1#1");
        Duration gap = Duration.between(Instant.parse((String) crashed.get(crashed.size() - 1).get("ts")),
            Instant.parse((String) resumed.get(0).get("ts")));
        assertThat(gap).as("the relaunch comes after the crash").isPositive();
    }

    private static List<Map<String, Object>> events(Instant now) {
        return DemoLauncher.launches(now).stream().flatMap(List::stream).toList();
    }

    private static List<Object> jobsDone(List<Map<String, Object>> launch) {
        return launch.stream().filter(e -> e.get("type").equals("job_done")).map(e -> e.get("job_id"))
            .filter(Objects::nonNull).toList();
    }
}
