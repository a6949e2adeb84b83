package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint and error path, against a real service on a random port over the real broker and registry. */
@ExtendWith(RealKafkaAndRegistry.class)
class QueryServiceIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    private static SharedTestStack stack;
    private static MutableClock clock;
    private static QueryService service;
    private static ApiClient api;
    private static String eventsTopic;

    @BeforeAll
    static void start(SharedTestStack shared) throws Exception {
        stack = shared;
        clock = new MutableClock(T0.plusSeconds(60));
        String prefix = TestNames.unique("api") + ".";
        eventsTopic = prefix + "argus.events";
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-api"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "api-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.HTTP_PORT, "0",
            QueryConfig.INGEST_MAX_EVENTS, "50",
            QueryConfig.INGEST_MAX_BYTES, "200000"));
        service = QueryService.start(config, clock);
        api = new ApiClient(service.port(), Optional.empty());
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void ingestedEventsBecomeBatchAndJobViews() {
        String batch = TestNames.unique("b-views");
        ApiClient.Answer accepted = api.post("/api/events", ndjson(
            event("batch_start", batch, 0, Map.of("source_project", "forecasting", "experiment_type", "benchmark",
                "n_total", 4, "command", "python run.py", "labels", Map.of("team", "ml"))),
            event("job_start", batch, 1, Map.of("job_id", "dam/lstm", "attempt", 1,
                "params", Map.of("model", "lstm", "dataset", "dam"))),
            event("job_done", batch, 30, Map.of("job_id", "dam/lstm", "attempt", 1, "metrics", Map.of("mae", 0.12),
                "result", "{\"mae\":0.12}")),
            event("job_start", batch, 31, Map.of("job_id", "solar/tcn", "attempt", 1,
                "params", Map.of("model", "tcn", "dataset", "solar"))),
            event("job_failed", batch, 40, Map.of("job_id", "solar/tcn", "attempt", 1, "rank", 0,
                "error_type", "CudaOOM", "message", "out of memory")),
            event("job_failed", batch, 41, Map.of("job_id", "solar/tcn", "attempt", 1, "rank", 1,
                "error_type", "NcclTimeout", "message", "peer gone"))));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().path("accepted")).hasSize(6);

        JsonNode view = awaitBatch(batch, v -> v.path("job_counts").path("failed").asInt() == 1);
        assertThat(view.path("status").asText()).isEqualTo("running");
        assertThat(view.path("source_project").asText()).isEqualTo("forecasting");
        assertThat(view.path("start_time").asText()).isEqualTo("2026-11-23T08:00:00Z");
        assertThat(view.path("resume_count").asInt()).isZero();
        assertThat(view.path("labels").path("team").asText()).isEqualTo("ml");
        assertThat(view.path("job_counts").path("done").asInt()).isEqualTo(1);
        assertThat(view.path("job_counts").path("pending").asInt()).isEqualTo(2);
        assertThat(view.path("progress").asDouble()).isEqualTo(0.25);
        assertThat(view.path("stalled").asBoolean()).isFalse();

        clock.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(api.get("/api/batches/" + batch).json().path("stalled").asBoolean()).isTrue();
        clock.set(T0.plusSeconds(60));

        JsonNode jobs = api.get("/api/batches/" + batch + "/jobs").json();
        assertThat(jobs).extracting(j -> j.path("job_id").asText()).containsExactly("dam/lstm", "solar/tcn");
        assertThat(jobs.get(0).has("failures")).as("the list leaves out the detail records").isFalse();
        assertThat(api.get("/api/batches/" + batch + "/jobs?status=done").json()).hasSize(1);

        JsonNode done = api.get("/api/batches/" + batch + "/jobs/" + ApiClient.encode("dam/lstm")).json();
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("metrics").path("mae").asDouble()).isEqualTo(0.12);
        assertThat(done.path("params").path("dataset").asText()).isEqualTo("dam");
        JsonNode failed = api.get("/api/batches/" + batch + "/jobs/solar%2Ftcn").json();
        assertThat(failed.path("last_error").path("error_type").asText()).isEqualTo("CudaOOM");
        assertThat(failed.path("failures")).singleElement().satisfies(f -> {
            assertThat(f.path("report_count").asInt()).isEqualTo(2);
            assertThat(f.path("ranks").toString()).isEqualTo("[0,1]");
        });

        String results = api.get("/api/batches/" + batch + "/results.jsonl").body();
        assertThat(results.lines()).singleElement().asString().contains("\"job_id\":\"dam/lstm\"", "\"mae\":0.12");
        String csv = api.get("/api/batches/" + batch + "/leaderboard.csv").body();
        assertThat(csv.lines()).containsExactly("job_id,attempt,param.dataset,param.model,metric.mae",
            "dam/lstm,1,dam,lstm,0.12");

        JsonNode firstPage = api.get("/api/batches/" + batch + "/events?limit=4").json();
        assertThat(firstPage.path("events")).hasSize(4);
        assertThat(firstPage.path("events").get(0).path("type").asText()).isEqualTo("batch_start");
        JsonNode secondPage = api.get("/api/batches/" + batch + "/events?limit=4&cursor="
            + firstPage.path("next_cursor").asText()).json();
        assertThat(secondPage.path("events")).hasSize(2);
        assertThat(secondPage.path("next_cursor").isNull()).isTrue();

        JsonNode then = api.get("/api/batches/" + batch + "?as_of=2026-11-23T08:00:35Z").json();
        assertThat(then.path("job_counts").path("done").asInt()).isEqualTo(1);
        assertThat(then.path("job_counts").path("failed").asInt()).isZero();
        assertThat(then.path("job_counts").path("running").asInt()).isEqualTo(1);
    }

    @Test
    void decisionsFollowTheRulesWaitForAttributionsAndDefaultToRestart() {
        String batch = TestNames.unique("b-decide");
        post(event("batch_start", batch, 0, Map.of("source_project", "p", "experiment_type", "e", "n_total", 2,
                "command", "c", "max_restarts", 1)),
            event("job_start", batch, 1, Map.of("job_id", "j", "attempt", 1)),
            event("job_failed", batch, 2, Map.of("job_id", "j", "attempt", 1, "error_type", "OOM", "message", "m")));
        awaitBatch(batch, v -> v.path("job_counts").path("failed").asInt() == 1);
        String decision = "/api/batches/" + batch + "/jobs/j/decision";

        JsonNode defaulted = api.get(decision + "?attempt=1").json();
        assertThat(defaulted.path("decision").asText()).isEqualTo("RESTART");
        assertThat(defaulted.path("defaulted").asBoolean()).isTrue();
        assertThat(defaulted.path("restart_budget").asInt()).isEqualTo(2);

        CompletableFuture<ApiClient.Answer> waiting =
            CompletableFuture.supplyAsync(() -> api.get(decision + "?attempt=1&wait_ms=20000"));
        // The attribution is posted only once the request is known to wait for it.
        await().atMost(DEADLINE).until(() -> api.get("/metrics").body()
            .contains("argus_decision_waits_outstanding 1.0"));
        assertThat(waiting).isNotDone();
        post(event("attribution", batch, 3, Map.of("job_id", "j", "attempt", 1, "verdict", "STOP",
            "reason", "bad config", "source", "classifier")));
        JsonNode stopped = waiting.join().json();
        assertThat(stopped.path("decision").asText()).isEqualTo("STOP");
        assertThat(stopped.path("defaulted").asBoolean()).isFalse();
        assertThat(stopped.path("reason").asText()).contains("classifier", "bad config");

        JsonNode budget = api.get(decision + "?attempt=2").json();
        assertThat(budget.path("decision").asText()).isEqualTo("STOP");
        assertThat(budget.path("reason").asText()).contains("budget");

        assertThat(api.post("/api/batches/" + batch + "/stop", "{\"reason\":\"enough\",\"requested_by\":\"alice\"}")
            .status()).isEqualTo(200);
        awaitBatch(batch, v -> v.path("stopping").asBoolean());
        assertThat(api.get("/api/batches/" + batch + "/jobs/other/decision?attempt=1").json().path("reason").asText())
            .contains("alice");
    }

    @Test
    void theListIsNewestFirstFilteredAndPaged() {
        String project = TestNames.unique("proj");
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String batch = TestNames.unique("b-list");
            batches.add(batch);
            post(event("batch_start", batch, 100 + i, Map.of("source_project", project,
                "experiment_type", i % 2 == 0 ? "even" : "odd", "n_total", 1, "command", "c")));
        }
        await().atMost(DEADLINE).until(() ->
            api.get("/api/batches?project=" + project).json().path("batches").size() == 5);

        JsonNode first = api.get("/api/batches?project=" + project + "&limit=2").json();
        JsonNode second = api.get("/api/batches?project=" + project + "&limit=2&cursor="
            + first.path("next_cursor").asText()).json();
        JsonNode third = api.get("/api/batches?project=" + project + "&limit=2&cursor="
            + second.path("next_cursor").asText()).json();
        List<String> paged = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.path("batches").forEach(b -> paged.add(b.path("batch_id").asText()));
        }
        assertThat(paged).containsExactly(batches.get(4), batches.get(3), batches.get(2), batches.get(1),
            batches.get(0));
        assertThat(third.path("next_cursor").isNull()).isTrue();
        assertThat(api.get("/api/batches?project=" + project + "&experiment_type=odd").json().path("batches"))
            .hasSize(2);
        assertThat(api.get("/api/batches?project=" + project + "&status=done").json().path("batches")).isEmpty();
    }

    @Test
    void badRequestsGetJsonErrorsAndNothingOfAnInvalidRequestIsPublished() throws Exception {
        assertError(api.get("/api/batches/no-such-batch"), 404, "not_found");
        String batch = TestNames.unique("b-errors");
        post(event("batch_start", batch, 0, Map.of("source_project", "p", "experiment_type", "e", "n_total", 1,
            "command", "c")));
        awaitBatch(batch, v -> true);
        assertError(api.get("/api/batches/" + batch + "/jobs/nope"), 404, "not_found");
        assertError(api.get("/api/batches/" + batch + "/jobs/j/decision"), 400, "bad_request");
        assertError(api.get("/api/batches/" + batch + "/jobs/j/decision?attempt=0"), 400, "bad_request");
        assertError(api.get("/api/batches/" + batch + "/jobs/j/decision?attempt=1&wait_ms=99999"), 400, "bad_request");
        assertError(api.get("/api/batches/" + batch + "?as_of=yesterday"), 400, "bad_request");
        assertError(api.get("/api/batches/" + batch + "/jobs?status=sleeping"), 400, "bad_request");
        assertError(api.get("/api/batches?limit=0"), 400, "bad_request");
        assertError(api.get("/api/batches?cursor=bm90LWEtY3Vyc29y"), 400, "bad_request");
        assertError(api.get("/api/nothing-here"), 404, "not_found");

        long before = endOffsets();
        ApiClient.Answer invalid = api.post("/api/events", "[" + String.join(",",
            event("job_start", batch, 1, Map.of("job_id", "ok", "attempt", 1)),
            event("job_start", batch, 1, Map.of("attempt", 1)),
            event("job_done", batch, 1, Map.of("job_id", "j", "attempt", 0)),
            event("teleport", batch, 1, Map.of()),
            event("job_start", batch, 1, Map.of("job_id", "j", "attempt", "one", "colour", "red")),
            event("job_start", batch, 1, Map.of("job_id", "j".repeat(600), "attempt", 1)),
            event("job_done", batch, 1, Map.of("job_id", "j", "attempt", 1, "result", "r".repeat(70_000))),
            event("heartbeat", batch, 1, Map.of("event_id", "  "))) + "]");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors")).extracting(e -> e.path("index").asInt() + ":" + e.path("field")
            .asText()).containsExactlyInAnyOrder("1:job_id", "2:attempt", "3:type", "4:colour", "4:attempt",
                "5:job_id", "6:result", "7:event_id");
        assertError(api.post("/api/events", "{\"type\": "), 400, "bad_request");
        assertError(api.post("/api/events", "x".repeat(210_000)), 413, "payload_too_large");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            many.append(event("heartbeat", batch, i, Map.of())).append('\n');
        }
        assertError(api.post("/api/events", many.toString()), 413, "payload_too_large");
        assertError(api.post("/api/batches/" + batch + "/stop", "[]"), 400, "bad_request");
        assertError(api.post("/api/batches/" + batch + "/stop", "{\"reason\": 5}"), 400, "bad_request");
        assertError(api.post("/api/batches/" + batch + "/stop", "{} {}"), 400, "bad_request");
        assertError(api.post("/api/batches/" + batch + "/stop", "{\"reason\": \"" + "x".repeat(210_000) + "\"}"),
            413, "payload_too_large");
        assertThat(endOffsets()).as("nothing of a refused request reaches the log").isEqualTo(before);
    }

    @Test
    void healthReadinessMetricsAndOpenApiAnswer() {
        assertThat(api.get("/healthz").json().path("status").asText()).isEqualTo("up");
        assertThat(api.get("/readyz").json().path("state").asText()).isEqualTo("RUNNING");
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("argus_fold_events_total", "argus_dead_letters_total", "argus_fold_rerouted_total",
            "kafka_stream",
            "argus_http_requests_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"}");
        JsonNode openApi = api.get("/api/openapi.json").json();
        assertThat(openApi.path("openapi").asText()).startsWith("3.");
        assertThat(StreamSupport.stream(((Iterable<String>) () -> openApi.path("paths").fieldNames()).spliterator(),
            false)).contains("/api/batches", "/api/batches/{batch_id}", "/api/events");
    }

    private static void assertError(ApiClient.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().path("error").asText()).isEqualTo(error);
        assertThat(answer.json().path("detail").asText()).isNotBlank().doesNotContain("at io.", "Exception:");
    }

    private static JsonNode awaitBatch(String batch, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] view = new JsonNode[1];
        await().atMost(DEADLINE).until(() -> {
            ApiClient.Answer answer = api.get("/api/batches/" + batch);
            view[0] = answer.status() == 200 ? answer.json() : null;
            return view[0] != null && condition.test(view[0]);
        });
        return view[0];
    }

    private static void post(String... events) {
        ApiClient.Answer answer = api.post("/api/events", ndjson(events));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static String ndjson(String... events) {
        return String.join("\n", events);
    }

    private static String event(String type, String batch, long second, Map<String, Object> fields) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("type", type);
        json.put("batch_id", batch);
        json.put("ts", T0.plusSeconds(second).toString());
        json.putAll(fields);
        try {
            return io.argus.streams.view.ViewJson.mapper().writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            int partitions = admin.describeTopics(List.of(eventsTopic)).allTopicNames().get().get(eventsTopic)
                .partitions().size();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(eventsTopic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
