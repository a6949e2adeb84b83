package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar argus.jar} as its own process, as a user runs it, with nothing of the build's environment pointing
 * it at another Kafka, registry or data directory. The jar is built by {@code package}, so tests using it are *IT.
 */
public final class ArgusJarProcess {

    private ArgusJarProcess() {
    }

    /** A command that ran to its end: its exit code and its output (standard output and error together). */
    public record Finished(int exit, String output) {
    }

    /** Starts the jar in {@code workDir} with {@code args}; its output goes to {@code log}. */
    public static Process start(Path workDir, Map<String, String> environment, Path log, String... args)
        throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        for (String name : List.of("ARGUS_KAFKA_BOOTSTRAP", "ARGUS_REGISTRY_URL", "ARGUS_CONFIG_FILE",
            "ARGUS_DATA_DIR", "ARGUS_APICURIO_HOME", "ARGUS_API_TOKEN")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs a command to its end, failing the test when it takes longer than {@code deadline}. */
    public static Finished run(Path workDir, Map<String, String> environment, Duration deadline, String... args)
        throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, args[0] + "-", ".log");
        Process process = start(workDir, environment, log, args);
        boolean exited = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("argus.jar %s ended within %s; output:%n%s", String.join(" ", args), deadline, output)
            .isTrue();
        return new Finished(process.exitValue(), output);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("argus.jar", "target/argus.jar")).toAbsolutePath();
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        return jar;
    }
}
