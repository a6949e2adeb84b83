package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @Test
    void findsTheRunnerJarOfRegistry2(@TempDir Path home) throws Exception {
        Path runner = Files.createFile(home.resolve("apicurio-registry-app-2.6.13.Final-runner.jar"));
        Files.createDirectory(home.resolve("lib"));

        ApicurioDistribution distribution = ApicurioDistribution.at(home);

        assertThat(distribution.launcherJar()).isEqualTo(runner.toAbsolutePath());
        assertThat(distribution.minimumJavaVersion()).isEqualTo(17);
    }

    @Test
    void findsTheFastJarOfRegistry3(@TempDir Path home) throws Exception {
        Path fastJar = Files.createFile(Files.createDirectory(home.resolve("quarkus-app")).resolve("quarkus-run.jar"));

        ApicurioDistribution distribution = ApicurioDistribution.at(home);

        assertThat(distribution.launcherJar()).isEqualTo(fastJar.toAbsolutePath());
        assertThat(distribution.minimumJavaVersion()).isEqualTo(21);
    }

    @Test
    void anEmptyDirectorySaysWhatWasExpectedAndHowToGetIt(@TempDir Path home) {
        assertThatThrownBy(() -> ApicurioDistribution.at(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("*-runner.jar")
                .hasMessageContaining("quarkus-app/quarkus-run.jar")
                .hasMessageContaining("mvn generate-test-resources")
                .hasMessageContaining(ApicurioDistribution.HOME_PROPERTY);
    }

    @Test
    void aMissingDirectoryIsNamed(@TempDir Path parent) {
        Path missing = parent.resolve("not-unpacked");

        assertThatThrownBy(() -> ApicurioDistribution.at(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("mvn generate-test-resources");
    }

    @Test
    void theBuildPointsTheTestsAtTheUnpackedDistribution() {
        ApicurioDistribution distribution = ApicurioDistribution.locate();

        assertThat(distribution.launcherJar()).isRegularFile();
    }
}
