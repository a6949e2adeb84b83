package io.argus.producer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commit of a working directory, asked from git with a deadline: a hung git must not hang a launcher. */
final class GitSha {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(GitSha.class);
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private GitSha() {
    }

    /** {@code git rev-parse HEAD} in the JVM's working directory. */
    static Optional<String> ofWorkingDirectory() {
        return of(Path.of("").toAbsolutePath());
    }

    /** Empty when git is missing, the directory is not in a repository, or git takes longer than the timeout. */
    static Optional<String> of(Path directory) {
        Process git;
        try {
            git = new ProcessBuilder("git", "rev-parse", "HEAD")
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        } catch (IOException noGit) {
            LOG.debug("git is not available: {}", noGit.getMessage());
            return Optional.empty();
        }
        try (InputStream out = git.getInputStream()) {
            if (!git.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                git.destroyForcibly();
                LOG.warn("git rev-parse HEAD in {} took longer than {} s; using no git sha", directory,
                    TIMEOUT.toSeconds());
                return Optional.empty();
            }
            // A sha is 41 bytes with its newline: what git printed fits the pipe, so reading after exit is safe.
            String text = new String(out.readNBytes(128), StandardCharsets.UTF_8).strip();
            return git.exitValue() == 0 && SHA.matcher(text).matches() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            git.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
