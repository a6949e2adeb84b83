package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published test vectors (README) and the properties that make derived ids safe to rely on. */
class BatchIdsTest {

    private static final String SHA_A = "0123456789abcdef0123456789abcdef01234567";
    private static final String SHA_B = "89abcdef0123456789abcdef0123456789abcdef";

    @Test
    void theReadmeVectorsHold() {
        assertThat(BatchIds.derive("forecasting", "grid-v3", SHA_A, "bench")).isEqualTo("bench-3cb0006d58bffaa9");
        assertThat(BatchIds.derive("forecasting", "grid-v3", SHA_B, "bench")).isEqualTo("bench-d7836fd6c323d843");
        assertThat(BatchIds.derive("forecasting", "grid-v3", "no-git", "bench")).isEqualTo("bench-23e2cd41f5e76235");
        assertThat(BatchIds.derive("vision", "resnet-sweep", SHA_A, "train")).isEqualTo("train-9e8f8f5baaaccdb4");
        assertThat(BatchIds.derive("météo", "été-2026", "no-git", "bench")).isEqualTo("bench-967cdf3d8966a758");
    }

    @Test
    void fieldBoundariesAreUnambiguous() {
        assertThat(BatchIds.derive("ab", "c", "no-git", "bench")).isEqualTo("bench-85571787bc5a889d");
        assertThat(BatchIds.derive("a", "bc", "no-git", "bench")).isEqualTo("bench-128784cb19ee82df");
        assertThat(HexFormat.of().formatHex(BatchIds.lengthPrefixed("ab", "c", "x")))
            .isEqualTo("00000002616200000001630000000178");
    }

    @Test
    void theShortFormHashesTheWorkingDirectorysCommitUnderTheDefaultPrefix() {
        String sha = GitSha.ofWorkingDirectory().orElse(BatchIds.NO_GIT);
        assertThat(BatchIds.derive("forecasting", "grid-v3"))
            .isEqualTo(BatchIds.derive("forecasting", "grid-v3", sha, "bench"))
            .matches("bench-[0-9a-f]{16}");
    }

    @Test
    void gitShaIsReadFromARepositoryAndAbsentOutsideOne(@TempDir Path dir) throws Exception {
        assertThat(GitSha.of(dir)).as("not a repository").isEmpty();
        Path repo = Files.createDirectory(dir.resolve("repo"));
        run(repo, "git", "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "a");
        run(repo, "git", "add", "a.txt");
        run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a");
        assertThat(GitSha.of(repo)).hasValueSatisfying(sha -> assertThat(sha).matches("[0-9a-f]{40}"));
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> BatchIds.derive(" ", "e", SHA_A, "bench")).hasMessageContaining("project");
        assertThatThrownBy(() -> BatchIds.derive("p", "", SHA_A, "bench")).hasMessageContaining("experimentName");
        assertThatThrownBy(() -> BatchIds.derive("p", "e", SHA_A, "a/b")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> BatchIds.derive("p", "e", SHA_A, "-x")).hasMessageContaining("prefix");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
