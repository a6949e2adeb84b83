package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared test vectors (clients/batch-id-vectors.json) and the properties that make derived ids safe to rely on. */
class BatchIdsTest {

    private static final String SHA_A = "0123456789abcdef0123456789abcdef01234567";
    /** The vectors every SDK is tested against (the Python SDK's tests read the same file). */
    static final Path SHARED_VECTORS = Path.of("..", "clients", "batch-id-vectors.json");

    @Test
    void theSharedVectorsHold() throws Exception {
        JsonNode vectors = sharedVectors().path("vectors");
        assertThat(vectors.size()).as("vectors in " + SHARED_VECTORS).isGreaterThanOrEqualTo(7);
        for (JsonNode vector : vectors) {
            assertThat(BatchIds.derive(vector.path("project").asText(), vector.path("experiment_name").asText(),
                vector.path("git_sha").asText(), vector.path("prefix").asText()))
                .as(vector.toString())
                .isEqualTo(vector.path("id").asText());
        }
    }

    @Test
    void fieldBoundariesAreUnambiguous() throws Exception {
        assertThat(BatchIds.derive("ab", "c", "no-git", "bench"))
            .isNotEqualTo(BatchIds.derive("a", "bc", "no-git", "bench"));
        JsonNode encodings = sharedVectors().path("encodings");
        assertThat(encodings.size()).isPositive();
        for (JsonNode encoding : encodings) {
            String[] fields = new ObjectMapper().convertValue(encoding.path("fields"), String[].class);
            assertThat(HexFormat.of().formatHex(BatchIds.lengthPrefixed(fields)))
                .as(encoding.toString())
                .isEqualTo(encoding.path("hex").asText());
        }
    }

    private static JsonNode sharedVectors() throws Exception {
        assertThat(SHARED_VECTORS).as("run from the producer-lib module directory").isRegularFile();
        return new ObjectMapper().readTree(Files.readString(SHARED_VECTORS, StandardCharsets.UTF_8));
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
