package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.producer.examples.GridLauncher;
import io.argus.query.QueryConfig;
import io.argus.query.QueryService;
import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobStart;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Reporter against a real query service (the fold and the HTTP API) over the real broker and registry: resume
 * after {@code kill -9}, attempts that continue the backend's count, restart decisions, and the HTTP transport.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class EndToEndIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static QueryService service;
    private static TestReporters setup;
    private static String queryUrl;

    @BeforeAll
    static void start(SharedTestStack stack) throws IOException {
        String prefix = TestNames.unique("e2e") + ".";
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-e2e"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "e2e-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.HTTP_PORT, "0"));
        service = QueryService.start(config, Clock.systemUTC());
        queryUrl = "http://127.0.0.1:" + service.port();
        setup = new TestReporters(stack, prefix, false);
        await().atMost(DEADLINE).until(() -> get("/readyz").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aLauncherKilledMidPlanResumesAndEveryJobIsDoneExactlyOnce() throws Exception {
        String experiment = TestNames.unique("grid");
        String batch = BatchIds.derive(GridLauncher.PROJECT, experiment);
        Path output = Files.createTempFile(Path.of("target"), "launcher", ".log");
        ProcessBuilder launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), GridLauncher.class.getName(),
            "--experiment", experiment, "--work-ms", "30")
            .redirectErrorStream(true).redirectOutput(output.toFile())
            .directory(Path.of("").toAbsolutePath().toFile());
        launcher.environment().putAll(environment());
        Process running = launcher.start();
        try {
            await().atMost(DEADLINE).until(() -> doneCount(batch) >= 40 || !running.isAlive());
            assertThat(running.isAlive()).as("the launcher is still running; its output:%n%s",
                Files.readString(output)).isTrue();
        } finally {
            running.destroyForcibly();   // SIGKILL: no close(), no batch_done, events in flight are lost
            running.waitFor(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> expected = expectedAttempts(setup.log().read(batch));
        long doneBefore = setup.log().read(batch).stream().filter(e -> e.getPayload() instanceof JobDone).count();
        List<String> resumed = GridLauncher.run(builder(batch), experiment, -1, Duration.ofMillis(3),
            false);

        assertThat(resumed).hasSize(GridLauncher.plan().size() - (int) doneBefore);
        JsonNode view = awaitJson("/api/batches/" + batch, v -> v.path("status").asText().equals("done"));
        assertThat(view.path("resume_count").asInt()).isEqualTo(1);
        assertThat(view.path("job_counts").path("done").asInt()).isEqualTo(120);
        JsonNode done = json("/api/batches/" + batch + "/jobs?status=done");
        assertThat(done).hasSize(120);
        Map<String, Integer> attempts = new HashMap<>();
        done.forEach(job -> attempts.put(job.path("job_id").asText(), job.path("attempt").asInt()));
        assertThat(attempts).isEqualTo(expected);
        Map<String, Long> jobDones = setup.log().read(batch).stream().filter(e -> e.getPayload() instanceof JobDone)
            .collect(Collectors.groupingBy(e -> ((JobDone) e.getPayload()).getJobId(),
                Collectors.mapping(ArgusEvent::getEventId, Collectors.toSet())))
            .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
        assertThat(jobDones).hasSize(120).allSatisfy((job, count) -> assertThat(count).as(job).isEqualTo(1));
    }

    @Test
    void aResumedJobContinuesAtTheBackendsAttemptPlusOne() {
        String batch = TestNames.unique("b-attempts");
        try (Reporter first = builder(batch).nTotal(2).open()) {
            first.run("a", Map.of(), job -> job.done(Map.of()));
            JobScope failing = first.job("b", Map.of());
            failing.failed("CudaOOM", "out of memory");
        }
        try (Reporter second = builder(batch).nTotal(2).open()) {
            assertThat(second.completedJobs()).containsExactly("a");
            assertThat(second.remaining(List.of("a", "b"))).containsExactly("b");
            try (JobScope job = second.job("b", Map.of())) {
                assertThat(job.attempt()).isEqualTo(2);
                job.done(Map.of());
            }
        }
        awaitJson("/api/batches/" + batch, v -> v.path("status").asText().equals("done"));
        assertThat(json("/api/batches/" + batch + "/jobs/b").path("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void aClassifiersStopIsTheDecisionAndNoAnswerIsADefaultedRestart() {
        String batch = TestNames.unique("b-decide");
        try (Reporter reporter = builder(batch).maxRestarts(3).open()) {
            JobScope job = reporter.job("j", Map.of());
            // The classifier's attribution must follow the job's start in the log.
            assertThat(reporter.flush(DEADLINE)).isTrue();
            ingest(Map.of("type", "attribution", "batch_id", batch, "job_id", "j", "attempt", 1, "verdict", "STOP",
                "reason", "config error, restarting cannot help", "source", "classifier"));
            job.failed(new IllegalArgumentException("bad horizon"));
            awaitJson("/api/batches/" + batch + "/jobs/j", j -> j.path("status").asText().equals("failed")
                && j.path("decisions").size() == 1);

            Decision stop = reporter.decide("j", 1, Duration.ofSeconds(5));
            assertThat(stop.verdict()).isEqualTo(Decision.Verdict.STOP);
            assertThat(stop.defaulted()).isFalse();
            assertThat(stop.reason()).contains("classifier", "config error");
            assertThat(stop.restartBudget()).isEqualTo(4);

            long started = System.nanoTime();
            Decision undecided = reporter.decide("other", 1, Duration.ofMillis(800));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(undecided.verdict()).isEqualTo(Decision.Verdict.RESTART);
            assertThat(undecided.defaulted()).isTrue();
        }
    }

    @Test
    void theRunnerRestartsWithTheNextAttemptAndStopsWhenTheBudgetIsSpent() {
        String batch = TestNames.unique("b-runner");
        AtomicInteger calls = new AtomicInteger();
        try (Reporter reporter = builder(batch).nTotal(2).maxRestarts(2).open()) {
            JobRunner runner = new JobRunner(reporter, Duration.ofMillis(300));
            JobRunner.Result flaky = runner.run("flaky", Map.of(), job -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("first attempt dies");
                }
                job.done(Map.of("mae", 0.5));
            });
            assertThat(flaky.status()).isEqualTo(JobRunner.Status.DONE);
            assertThat(flaky.attempt()).isEqualTo(2);

            JobRunner.Result broken = runner.run("broken", Map.of(), job -> {
                throw new IOException("always");
            });
            assertThat(broken.status()).isEqualTo(JobRunner.Status.STOPPED);
            assertThat(broken.attempt()).isEqualTo(3);
            assertThat(broken.decision()).hasValueSatisfying(d -> assertThat(d.reason()).contains("budget"));
            assertThat(broken.lastFailure()).hasValueSatisfying(e -> assertThat(e).isInstanceOf(IOException.class));
        }
        awaitJson("/api/batches/" + batch, v -> v.path("status").asText().equals("failed"));
        assertThat(json("/api/batches/" + batch + "/jobs/broken").path("failures")).hasSize(3);
    }

    @Test
    void anUnreachableQueryServiceIsAClearErrorForResumeAndADefaultForDecisions() throws IOException {
        String batch = TestNames.unique("b-noquery");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Reporter reporter = setup.builder(batch)
            .config(ReporterConfig.QUERY_URL, "http://127.0.0.1:" + closedPort).open()) {
            assertThatThrownBy(reporter::completedJobs).isInstanceOf(ArgusUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
            assertThatThrownBy(() -> reporter.job("a", Map.of())).isInstanceOf(ArgusUnavailableException.class);
            Decision decision = reporter.decide("a", 1, Duration.ofSeconds(2));
            assertThat(decision.verdict()).isEqualTo(Decision.Verdict.RESTART);
            assertThat(decision.defaulted()).isTrue();
        }
        try (Reporter withoutQuery = setup.builder(TestNames.unique("b-noquery")).open()) {
            assertThatThrownBy(withoutQuery::completedJobs).hasMessageContaining("ARGUS_QUERY_URL");
            assertThat(withoutQuery.job("a", Map.of()).attempt()).as("nothing to continue from").isEqualTo(1);
        }
    }

    @Test
    void theHttpTransportPublishesTheSameEventsThroughTheIngestEndpoint() {
        String batch = TestNames.unique("b-http");
        try (Reporter reporter = builder(batch).config(ReporterConfig.TRANSPORT, "http")
            .config(ReporterConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1").open()) {
            try (JobScope job = reporter.job("dam/lstm", Map.of("model", "lstm"))) {
                job.progress(5, Map.of("loss", 0.25, "nan", Double.NaN));
                job.done(Map.of("mae", 0.12), "{\"mae\":0.12}");
            }
            reporter.run("dam/tcn", Map.of(), job -> job.done(Map.of()));
            assertThatThrownBy(() -> reporter.run("solar/tft", Map.of(), job -> {
                throw new IllegalStateException("oom");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(reporter.remaining(List.of("dam/lstm", "dam/tcn", "solar/tft"))).containsExactly("solar/tft");
        }
        awaitJson("/api/batches/" + batch, v -> v.path("status").asText().equals("failed"));
        JsonNode job = json("/api/batches/" + batch + "/jobs/" + QueryClient.segment("dam/lstm"));
        assertThat(job.path("status").asText()).isEqualTo("done");
        assertThat(job.path("metrics").path("mae").asDouble()).isEqualTo(0.12);
        assertThat(job.path("result").asText()).isEqualTo("{\"mae\":0.12}");
        assertThat(job.path("params").path("model").asText()).isEqualTo("lstm");
        JsonNode failed = json("/api/batches/" + batch + "/jobs/" + QueryClient.segment("solar/tft"));
        assertThat(failed.path("last_error").path("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    /** What each job's attempt must be after the resume, from what the killed launcher got into the log. */
    private static Map<String, Integer> expectedAttempts(List<ArgusEvent> log) {
        Map<String, Integer> started = new HashMap<>();
        Map<String, Integer> done = new HashMap<>();
        for (ArgusEvent event : log) {
            if (event.getPayload() instanceof JobStart start) {
                started.merge(start.getJobId(), start.getAttempt(), Math::max);
            } else if (event.getPayload() instanceof JobDone jobDone) {
                done.put(jobDone.getJobId(), jobDone.getAttempt());
            }
        }
        Map<String, Integer> expected = new HashMap<>();
        for (String jobId : GridLauncher.plan()) {
            int attempt = done.containsKey(jobId) ? done.get(jobId)
                : started.containsKey(jobId) ? started.get(jobId) + 1 : 1;
            // The flaky job fails its first attempt, and the runner restarts it.
            expected.put(jobId, jobId.equals(GridLauncher.FLAKY_JOB) && attempt == 1 ? 2 : attempt);
        }
        return expected;
    }

    private static ReporterBuilder builder(String batch) {
        return setup.builder(batch).config(ReporterConfig.QUERY_URL, queryUrl);
    }

    private static Map<String, String> environment() {
        return Map.of(
            "ARGUS_KAFKA_BOOTSTRAP", setup.stack.kafka().bootstrapServers(),
            "ARGUS_REGISTRY_URL", setup.stack.registry().confluentApiUrl(),
            "ARGUS_QUERY_URL", queryUrl,
            "ARGUS_TOPICS_PREFIX", setup.topicsPrefix,
            "ARGUS_SPOOL_DIR", setup.spoolRoot.toString());
    }

    private static int doneCount(String batch) {
        HttpResponse<String> answer = get("/api/batches/" + batch);
        return answer.statusCode() != 200 ? 0 : read(answer.body()).path("job_counts").path("done").asInt();
    }

    private static JsonNode awaitJson(String path, Predicate<JsonNode> condition) {
        return await().atMost(DEADLINE).until(() -> json(path), condition::test);
    }

    private static JsonNode json(String path) {
        HttpResponse<String> answer = get(path);
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
        return read(answer.body());
    }

    private static void ingest(Map<String, Object> event) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/events"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(queryUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
