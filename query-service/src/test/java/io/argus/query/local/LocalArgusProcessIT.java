package io.argus.query.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.embedded.FreePorts;
import io.argus.query.ArgusJarProcess;
import io.argus.query.TestBatch;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's command, for real: {@code java -jar argus.jar --demo} as its own process, in an empty working
 * directory, with nothing configured but free ports. Runs after {@code package} (failsafe), since it needs the jar.
 */
class LocalArgusProcessIT {

    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration READ_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(20);
    private static final Duration REFUSAL_DEADLINE = Duration.ofSeconds(15);
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : started) {
            // The registry is a grandchild: kill it too, or a failed test leaves it running.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void rebuildAndVerifyRunOnTheLocalDataWhetherArgusRunsOrNot() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "argus-local-");
        int httpPort = FreePorts.loopback();
        Map<String, String> environment = Map.of("ARGUS_HTTP_PORT", Integer.toString(httpPort),
            "ARGUS_EMBEDDED_KAFKA_PORT", Integer.toString(FreePorts.loopback()));
        Process argus = launch(workDir, environment, workDir.resolve("argus.log"));
        String base = "http://127.0.0.1:" + httpPort;
        awaitStatus(argus, workDir.resolve("argus.log"), base + "/readyz", 200, START_DEADLINE);
        postBatch(base);

        // While Argus runs: through its broker and registry, under a new application id.
        long rebuilding = System.nanoTime();
        ArgusJarProcess.Finished rebuild = ArgusJarProcess.run(workDir, environment, COMMAND_DEADLINE,
            "rebuild", "--application-id", "argus-v2");
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("Using the local Argus running on "
            + workDir.toRealPath().resolve("argus-data") + " (pid " + argus.pid() + ")", "caught up in");
        System.out.printf("rebuild beside the running Argus: %d ms%n", millisSince(rebuilding));

        argus.destroy();
        assertThat(argus.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // Argus stopped: the command starts the local Kafka on the data itself, and stops it.
        long verifying = System.nanoTime();
        ArgusJarProcess.Finished verify = ArgusJarProcess.run(workDir, environment, COMMAND_DEADLINE,
            "verify", "--application-id", LocalStack.APPLICATION_ID, "--against", "argus-v2");
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("Started the local Kafka on", "stores are identical",
            "Stopping the local Kafka" + System.lineSeparator()).doesNotContain("registry");
        System.out.printf("verify on the stopped Argus's data: %d ms%n", millisSince(verifying));
        assertThat(workDir.resolve("argus-data").resolve("endpoints.properties")).doesNotExist();
    }

    @Test
    void theJarRunsArgusInOneCommandRefusesASecondOneAndStopsOnSigterm() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "argus-local-");
        int httpPort = FreePorts.loopback();
        Map<String, String> environment = Map.of("ARGUS_HTTP_PORT", Integer.toString(httpPort),
            "ARGUS_EMBEDDED_KAFKA_PORT", Integer.toString(FreePorts.loopback()));

        long launched = System.nanoTime();
        Process argus = launch(workDir, environment, workDir.resolve("first.log"), "--demo");
        String base = "http://127.0.0.1:" + httpPort;
        awaitStatus(argus, workDir.resolve("first.log"), base + "/readyz", 200, START_DEADLINE);
        System.out.printf("java -jar argus.jar --demo: /readyz 200 after %d ms%n", millisSince(launched));

        // Our own batch through the API, read back through the API.
        JsonNode view = postBatch(base);
        assertThat(view.path("job_counts").path("done").asInt()).isEqualTo(1);

        // The demo's sweep crashed half-way and was resumed: done, with one resume and all 12 jobs.
        JsonNode sweep = awaitJson(base + "/api/batches/" + DemoLauncher.SWEEP,
            v -> v.path("status").asText().equals("done"));
        assertThat(sweep.path("resume_count").asInt()).isEqualTo(1);
        assertThat(sweep.path("job_counts").path("done").asInt()).isEqualTo(12);

        // A second Argus on the same data directory refuses at once, naming the first.
        long secondLaunched = System.nanoTime();
        Path secondLog = workDir.resolve("second.log");
        Process second = launch(workDir, Map.of("ARGUS_HTTP_PORT", Integer.toString(FreePorts.loopback()),
            "ARGUS_EMBEDDED_KAFKA_PORT", Integer.toString(FreePorts.loopback())), secondLog);
        assertThat(second.waitFor(REFUSAL_DEADLINE.toSeconds(), TimeUnit.SECONDS))
            .as("the second start exits within %s", REFUSAL_DEADLINE).isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(secondLog)).contains("Argus is already running on "
            + workDir.toRealPath().resolve("argus-data") + " (pid " + argus.pid() + ")");
        System.out.printf("second start refused in %d ms%n", millisSince(secondLaunched));
        assertThat(get(base + "/readyz").statusCode()).as("the first one is unharmed").isEqualTo(200);

        // SIGTERM (as Ctrl-C): HTTP, the fold, Kafka and the registry stop in seconds, leaving nothing behind.
        List<ProcessHandle> children = argus.descendants().toList();
        assertThat(children).as("the registry child process").isNotEmpty();
        long stopping = System.nanoTime();
        argus.destroy();
        assertThat(argus.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS))
            .as("stopped within %s; output:%n%s", STOP_DEADLINE, log(workDir.resolve("first.log"))).isTrue();
        System.out.printf("stopped %d ms after SIGTERM%n", millisSince(stopping));
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(Files.readString(workDir.resolve("first.log"))).contains("Argus stopped in");
        assertThat(workDir.resolve("argus-data").resolve("kafka").resolve("logs").resolve("meta.properties"))
            .isRegularFile();
    }

    private Process launch(Path workDir, Map<String, String> environment, Path log, String... args)
        throws IOException {
        Process process = ArgusJarProcess.start(workDir, environment, log, args);
        started.add(process);
        return process;
    }

    /** A batch of one job, posted through the API and read back until done. */
    private JsonNode postBatch(String base) throws Exception {
        String batch = "it-batch-" + Long.toHexString(System.nanoTime());
        HttpResponse<String> accepted = post(base + "/api/events", TestBatch.ndjson(batch));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return awaitJson(base + "/api/batches/" + batch, v -> v.path("status").asText().equals("done"));
    }

    private void awaitStatus(Process process, Path log, String url, int status, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            assertThat(process.isAlive()).as("Argus exited early:%n%s", log(log)).isTrue();
            try {
                if (get(url).statusCode() == status) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            assertThat(System.nanoTime() - end).as("%s answered %d within %s; output:%n%s", url, status, deadline,
                log(log)).isNegative();
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private JsonNode awaitJson(String url, Predicate<JsonNode> condition) throws Exception {
        long end = System.nanoTime() + READ_DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() - end < 0) {
            HttpResponse<String> response = get(url);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode json = ViewJson.mapper().readTree(response.body());
                if (condition.test(json)) {
                    return json;
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError(url + " did not reach the expected state within " + READ_DEADLINE + "; last: "
            + last);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String log(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
