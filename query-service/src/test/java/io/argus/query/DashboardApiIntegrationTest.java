package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.query.local.DemoLauncher;
import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API the dashboard's pictures read, without a browser: events filtered by type and job in bounded pages,
 * and conditional (ETag) reads of a batch and its jobs. The pictures themselves are tested in
 * {@link DashboardPicturesChromiumTest}.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class DashboardApiIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** Jobs of the long batch: its history (a start and a done per job) is longer than one filtered read's budget. */
    private static final int LONG_JOBS = BatchReads.FILTER_READ_BUDGET / 2 + 100;

    private static QueryService service;
    private static ApiClient api;
    private static String live;
    private static String longBatch;

    @BeforeAll
    static void start(SharedTestStack stack) throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-dash-api"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(target, "dash-api-state").toString(),
            QueryConfig.TOPICS_PREFIX, TestNames.unique("dash-api") + ".",
            QueryConfig.HTTP_PORT, "0"));
        service = QueryService.start(config, Clock.systemUTC());
        api = new ApiClient(service.port(), Optional.empty());
        await().atMost(DEADLINE).until(() -> api.get("/readyz").status() == 200);

        new DemoLauncher("http://127.0.0.1:" + service.port() + "/", Optional.empty()).publish(Clock.systemUTC());

        live = TestNames.unique("live");
        post(event("batch_start", live, -600, Map.of("source_project", "p", "experiment_type", "grid",
                "n_total", 2, "command", "python grid.py")),
            event("job_start", live, -590, Map.of("job_id", "a/x", "attempt", 1, "params", Map.of("row", "a"))),
            event("job_done", live, -500, Map.of("job_id", "a/x", "attempt", 1, "metrics", Map.of("mae", 0.3))));

        longBatch = TestNames.unique("long");
        List<String> events = new ArrayList<>();
        events.add(event("batch_start", longBatch, -7200, Map.of("source_project", "p",
            "experiment_type", "long", "n_total", LONG_JOBS, "command", "python long.py")));
        for (int i = 0; i < LONG_JOBS; i++) {
            events.add(event("job_start", longBatch, -7000 + i, Map.of("job_id", "j" + i, "attempt", 1,
                "params", Map.of("i", Integer.toString(i)))));
            events.add(event("job_done", longBatch, -6900 + i, Map.of("job_id", "j" + i, "attempt", 1,
                "metrics", Map.of("score", i / 1000.0))));
        }
        for (int from = 0; from < events.size(); from += 1000) {
            post(events.subList(from, Math.min(events.size(), from + 1000)).toArray(String[]::new));
        }

        await().atMost(DEADLINE).until(() -> done(DemoLauncher.SWEEP) == 12 && done(live) == 1
            && done(longBatch) == LONG_JOBS);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void eventsFilteredByTypeAndJobComeFromTheIndexInPages() {
        JsonNode starts = api.get("/api/batches/" + DemoLauncher.SWEEP + "/events?type=batch_start&limit=1000").json();
        assertThat(starts.path("events")).extracting(e -> e.path("type").asText()).containsExactly("batch_start",
            "batch_start");
        assertThat(starts.path("next_cursor").isNull()).isTrue();

        JsonNode progress = api.get("/api/batches/" + DemoLauncher.SWEEP + "/events?type=job_progress&job_id="
            + ApiClient.encode("dam/transformer")).json();
        assertThat(progress.path("events")).extracting(e -> e.path("attempt").asInt() + "@" + e.path("step").asLong())
            .containsExactly("1@500", "2@500", "2@1000");

        JsonNode firstTwo = api.get("/api/batches/" + longBatch + "/events?type=job_done&limit=2").json();
        assertThat(firstTwo.path("events")).extracting(e -> e.path("job_id").asText()).containsExactly("j0", "j1");
        long next = firstTwo.path("next_cursor").asLong();
        assertThat(next).isEqualTo(firstTwo.path("events").get(1).path("position").asLong() + 1);
        JsonNode more = api.get("/api/batches/" + longBatch + "/events?type=job_done&limit=2&cursor=" + next).json();
        assertThat(more.path("events")).extracting(e -> e.path("job_id").asText()).containsExactly("j2", "j3");

        // A job that is not there: each page looks at a bounded stretch of the history, and says where to go on.
        JsonNode none = api.get("/api/batches/" + longBatch + "/events?job_id=nobody&limit=10").json();
        assertThat(none.path("events")).isEmpty();
        assertThat(none.path("next_cursor").asLong()).isEqualTo(BatchReads.FILTER_READ_BUDGET);

        ApiClient.Answer badType = api.get("/api/batches/" + longBatch + "/events?type=job_start,nope");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(badType.json().path("detail").asText()).contains("nope", "job_progress");
    }

    @Test
    void anUnchangedBatchCostsA304() {
        String path = "/api/batches/" + live;
        ApiClient.Answer first = api.get(path);
        String etag = first.header("ETag").orElseThrow();
        ApiClient.Answer again = api.get(path, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        ApiClient.Answer jobs = api.get(path + "/jobs");
        String jobsEtag = jobs.header("ETag").orElseThrow();
        assertThat(api.get(path + "/jobs", Map.of("If-None-Match", jobsEtag)).status()).isEqualTo(304);

        post(event("heartbeat", live, 1, Map.of()));
        await().atMost(DEADLINE).until(() -> api.get(path, Map.of("If-None-Match", etag)).status() == 200);
        assertThat(api.get(path + "/jobs", Map.of("If-None-Match", jobsEtag)).status()).isEqualTo(200);
    }

    @Test
    void theJobsListGivesOnlyTheFieldsAskedFor() {
        String path = "/api/batches/" + DemoLauncher.SWEEP + "/jobs";
        JsonNode all = api.get(path).json();
        assertThat(all).hasSize(12);
        assertThat(fieldNames(all.get(0))).containsExactly("job_id", "status", "params", "attempt", "started_at",
            "finished_at", "step", "progress_metrics", "metrics", "result", "output_uri", "last_error", "attempts");

        ApiClient.Answer some = api.get(path + "?fields=metrics,job_id,status&status=done");
        assertThat(some.status()).isEqualTo(200);
        assertThat(some.header("ETag")).as("a projection is polled like the whole list").isPresent();
        assertThat(some.json()).hasSize(12).allSatisfy(job ->
            assertThat(fieldNames(job)).containsExactly("job_id", "status", "metrics"));
        for (int i = 0; i < all.size(); i++) {
            assertThat(some.json().get(i).path("metrics")).isEqualTo(all.get(i).path("metrics"));
        }

        ApiClient.Answer unknown = api.get(path + "?fields=job_id,failures");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(unknown.json().path("detail").asText()).contains("'failures'", "job_id, status, params");
        assertThat(api.get(path + "?fields=").status()).isEqualTo(400);
    }

    /**
     * What the attempt timeline draws, from the stores alone: each attempt's start, end and outcome, and each
     * launch with, for a resume, when the batch went quiet (the demo's launcher died mid-job).
     */
    @Test
    void attemptsAndLaunchesTellTheCrashAndResumeStory() {
        String path = "/api/batches/" + DemoLauncher.SWEEP;
        List<JsonNode> events = new ArrayList<>();
        api.get(path + "/events?limit=1000&fields=type,ts,job_id,attempt").json().path("events").forEach(events::add);
        JsonNode jobs = api.get(path + "/jobs?fields=job_id,attempts").json();

        JsonNode flaky = jobWithId(jobs, "dam/transformer").path("attempts");
        assertThat(flaky).hasSize(2);
        assertThat(flaky.get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(flaky.get(0).path("error_type").asText()).as("the first rank's report").isEqualTo("CudaOOM");
        assertThat(flaky.get(0).path("started_at").asText()).isEqualTo(tsOf(events, "job_start", "dam/transformer", 1));
        assertThat(flaky.get(0).path("ended_at").asText()).isEqualTo(tsOf(events, "job_failed", "dam/transformer", 1));
        assertThat(flaky.get(1).path("outcome").asText()).isEqualTo("done");
        assertThat(flaky.get(1).path("ended_at").asText()).isEqualTo(tsOf(events, "job_done", "dam/transformer", 2));

        JsonNode interrupted = jobWithId(jobs, "solar/transformer").path("attempts");
        assertThat(interrupted.get(0).path("ended_at").isNull()).as("attempt 1 died with its launcher").isTrue();
        assertThat(interrupted.get(1).path("outcome").asText()).isEqualTo("done");

        JsonNode launches = api.get(path + "/launches").json();
        assertThat(launches.path("batch_id").asText()).isEqualTo(DemoLauncher.SWEEP);
        assertThat(launches.path("launches")).extracting(l -> l.path("outcome").asText())
            .containsExactly("started", "resumed");
        JsonNode resume = launches.path("launches").get(1);
        int resumeAt = indexOf(events, "batch_start", 1);
        assertThat(resume.path("ts").asText()).isEqualTo(events.get(resumeAt).path("ts").asText());
        assertThat(resume.path("quiet_since").asText()).as("the time of the last event before the resume")
            .isEqualTo(events.get(resumeAt - 1).path("ts").asText());
        assertThat(launches.path("launches").get(0).path("quiet_since").isNull()).isTrue();

        ApiClient.Answer first = api.get(path + "/launches");
        assertThat(api.get(path + "/launches", Map.of("If-None-Match", first.header("ETag").orElseThrow())).status())
            .isEqualTo(304);
        assertThat(api.get("/api/batches/nobody-" + TestNames.unique("x") + "/launches").status()).isEqualTo(404);
    }

    @Test
    void eventsGiveOnlyTheFieldsAskedForAndThoseTheyHave() {
        JsonNode events = api.get("/api/batches/" + DemoLauncher.SWEEP
            + "/events?type=batch_start,job_failed&fields=position,type,job_id,error_type").json().path("events");
        assertThat(events).isNotEmpty();
        for (JsonNode event : events) {
            assertThat(fieldNames(event)).as(event.toString()).isSubsetOf("position", "type", "job_id", "error_type")
                .contains("position", "type");
        }
        assertThat(events).filteredOn(e -> e.path("type").asText().equals("job_failed"))
            .isNotEmpty().allSatisfy(e -> assertThat(fieldNames(e))
                .containsExactlyInAnyOrder("position", "type", "job_id", "error_type"));

        ApiClient.Answer unknown = api.get("/api/batches/" + DemoLauncher.SWEEP + "/events?fields=type,nope");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(unknown.json().path("detail").asText()).contains("'nope'", "job_id", "error_type");
    }

    private static JsonNode jobWithId(JsonNode jobs, String jobId) {
        for (JsonNode job : jobs) {
            if (job.path("job_id").asText().equals(jobId)) {
                return job;
            }
        }
        throw new AssertionError("no job " + jobId + " in " + jobs);
    }

    /** The time of the first event of the type for the job's attempt, as the API writes it. */
    private static String tsOf(List<JsonNode> events, String type, String jobId, int attempt) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)
                && e.path("job_id").asText().equals(jobId) && e.path("attempt").asInt() == attempt)
            .findFirst().orElseThrow().path("ts").asText();
    }

    /** The log position of the nth (from 0) event of the type. */
    private static int indexOf(List<JsonNode> events, String type, int nth) {
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).path("type").asText().equals(type) && seen++ == nth) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + (nth + 1) + " " + type + " events");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int done(String batch) {
        ApiClient.Answer answer = api.get("/api/batches/" + batch);
        return answer.status() == 200 ? answer.json().path("job_counts").path("done").asInt() : -1;
    }

    private static void post(String... events) {
        FlatEvents.post(api, events);
    }

    /** A flat event {@code secondsFromNow} seconds from the start of the test (negative: in the past). */
    private static String event(String type, String batch, long secondsFromNow, Map<String, Object> fields) {
        return FlatEvents.event(NOW, type, batch, secondsFromNow, fields);
    }
}
