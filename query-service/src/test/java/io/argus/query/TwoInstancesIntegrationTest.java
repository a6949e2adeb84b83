package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.registry.RegistryClientConfig;
import io.argus.streams.view.ViewJson;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances with the same application id over a 3-partition log: each answers for every batch, the same way;
 * while a third instance joins and leaves (rebalances), every answer is either right or a 503, never a wrong one.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class TwoInstancesIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    private final SharedTestStack stack;

    TwoInstancesIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void everyInstanceAnswersEveryBatchAndARebalanceNeverGivesAWrongAnswer() throws Exception {
        String prefix = TestNames.unique("multi") + ".";
        String applicationId = TestNames.unique("argus-multi");
        MutableClock clock = new MutableClock(T0.plusSeconds(30));
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(TestNames.unique("b-multi"));
        }
        try (QueryService first = QueryService.start(config(prefix, applicationId), clock);
             QueryService second = QueryService.start(config(prefix, applicationId), clock)) {
            ApiClient a = new ApiClient(first.port(), Optional.empty());
            ApiClient b = new ApiClient(second.port(), Optional.empty());
            await().atMost(DEADLINE).until(() -> a.get("/readyz").status() == 200 && b.get("/readyz").status() == 200);
            StringBuilder events = new StringBuilder();
            for (String batch : batches) {
                events.append(event("batch_start", batch, Map.of("source_project", "multi", "experiment_type", "e",
                    "n_total", 2, "command", "c"))).append('\n');
                events.append(event("job_done", batch, Map.of("job_id", "j1", "attempt", 1))).append('\n');
            }
            assertThat(a.post("/api/events", events.toString()).status()).isEqualTo(200);

            Map<String, String> expected = new HashMap<>();
            for (String batch : batches) {
                await().atMost(DEADLINE).until(() -> doneJobs(a.get("/api/batches/" + batch)) == 1);
                expected.put(batch, a.get("/api/batches/" + batch).body());
                assertThat(b.get("/api/batches/" + batch).body()).as("the other instance answers the same")
                    .isEqualTo(expected.get(batch));
            }
            assertThat(servedBy(a, b, batches)).as("both instances own some of the batches").hasSize(2);
            JsonNode listA = a.get("/api/batches?project=multi&limit=500").json().path("batches");
            JsonNode listB = b.get("/api/batches?project=multi&limit=500").json().path("batches");
            assertThat(listA).hasSize(12);
            assertThat(listA).isEqualTo(listB);

            // Hammer both instances while a third joins and leaves: right or 503, never anything else.
            AtomicBoolean hammering = new AtomicBoolean(true);
            ConcurrentMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            List<Thread> readers = new ArrayList<>();
            // A reader that dies (an I/O error, a failed parse) must fail the test, not stop counting quietly.
            Queue<Throwable> died = new ConcurrentLinkedQueue<>();
            for (ApiClient client : List.of(a, b)) {
                Thread reader = new Thread(() -> {
                    int i = 0;
                    while (hammering.get()) {
                        String batch = batches.get(i++ % batches.size());
                        ApiClient.Answer answer = client.get("/api/batches/" + batch);
                        String outcome = answer.status() == 200
                            ? (answer.body().equals(expected.get(batch)) ? "right" : "WRONG " + answer.body())
                            : answer.status() == 503 && answer.header("Retry-After").isPresent() ? "503"
                            : "UNEXPECTED " + answer.status() + " " + answer.body();
                        outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                    }
                }, "hammer");
                reader.setUncaughtExceptionHandler((thread, failure) -> died.add(failure));
                reader.start();
                readers.add(reader);
            }
            try (QueryService third = QueryService.start(config(prefix, applicationId), clock)) {
                ApiClient c = new ApiClient(third.port(), Optional.empty());
                await().atMost(DEADLINE).until(() -> c.get("/readyz").status() == 200);
                await().atMost(DEADLINE).until(() -> c.get("/api/batches/" + batches.get(0)).status() == 200);
            }
            await().atMost(DEADLINE).until(() -> a.get("/api/batches/" + batches.get(0)).status() == 200
                && b.get("/api/batches/" + batches.get(0)).status() == 200);
            hammering.set(false);
            for (Thread reader : readers) {
                reader.join(DEADLINE.toMillis());
                assertThat(reader.isAlive()).as("a reader still running after %s", DEADLINE).isFalse();
            }
            assertThat(died).as("readers that died").isEmpty();

            assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsAnyOf("right")
                .allMatch(o -> o.equals("right") || o.equals("503"));
        }
    }

    @Test
    void aConditionalReadOfABatchTheOtherInstanceOwnsIsAnswered304ThroughTheForwardAnd200OnceItChanged()
        throws Exception {
        String prefix = TestNames.unique("cond") + ".";
        String applicationId = TestNames.unique("argus-cond");
        MutableClock clock = new MutableClock(T0.plusSeconds(30));
        try (QueryService first = QueryService.start(config(prefix, applicationId), clock);
             QueryService second = QueryService.start(config(prefix, applicationId), clock)) {
            ApiClient a = new ApiClient(first.port(), Optional.empty());
            ApiClient b = new ApiClient(second.port(), Optional.empty());
            await().atMost(DEADLINE).until(() -> a.get("/readyz").status() == 200 && b.get("/readyz").status() == 200);
            // Enough batches that, over 3 partitions shared by two instances, some are owned by the second.
            List<String> batches = new ArrayList<>();
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                String batch = TestNames.unique("b-cond");
                batches.add(batch);
                events.append(event("batch_start", batch, Map.of("source_project", "cond", "experiment_type", "e",
                    "n_total", 2, "command", "c"))).append('\n');
                events.append(event("job_done", batch, Map.of("job_id", "j1", "attempt", 1))).append('\n');
            }
            assertThat(a.post("/api/events", events.toString()).status()).isEqualTo(200);
            for (String batch : batches) {
                await().atMost(DEADLINE).until(() -> doneJobs(a.get("/api/batches/" + batch)) == 1);
            }
            String remote = batches.stream()
                .filter(batch -> a.get("/api/batches/" + batch).header("X-Argus-Served-By").isPresent())
                .findFirst().orElseThrow(() -> new AssertionError("the second instance owns none of " + batches));

            for (String path : List.of("/api/batches/" + remote, "/api/batches/" + remote + "/jobs")) {
                ApiClient.Answer full = a.get(path);
                assertThat(full.status()).as(path).isEqualTo(200);
                String etag = full.header("ETag").orElseThrow(() -> new AssertionError("no ETag on " + path));
                ApiClient.Answer unchanged = a.get(path, Map.of("If-None-Match", etag));
                assertThat(unchanged.status()).as(path + " " + unchanged.body()).isEqualTo(304);
                assertThat(unchanged.body()).isEmpty();
                assertThat(unchanged.header("ETag")).contains(etag);
                assertThat(unchanged.header("X-Argus-Served-By")).as("answered by the owner").isPresent();
            }

            String batchEtag = a.get("/api/batches/" + remote).header("ETag").orElseThrow();
            String jobsEtag = a.get("/api/batches/" + remote + "/jobs").header("ETag").orElseThrow();
            assertThat(a.post("/api/events", event("job_done", remote, Map.of("job_id", "j2", "attempt", 1)))
                .status()).isEqualTo(200);
            await().atMost(DEADLINE).until(() ->
                a.get("/api/batches/" + remote, Map.of("If-None-Match", batchEtag)).status() == 200);
            ApiClient.Answer changed = a.get("/api/batches/" + remote, Map.of("If-None-Match", batchEtag));
            assertThat(changed.header("X-Argus-Served-By")).isPresent();
            assertThat(changed.header("ETag")).isPresent().get().isNotEqualTo(batchEtag);
            assertThat(changed.json().path("job_counts").path("done").asInt()).isEqualTo(2);
            ApiClient.Answer jobs = a.get("/api/batches/" + remote + "/jobs", Map.of("If-None-Match", jobsEtag));
            assertThat(jobs.status()).isEqualTo(200);
            assertThat(jobs.header("ETag")).isPresent().get().isNotEqualTo(jobsEtag);
            assertThat(jobs.json()).extracting(job -> job.path("job_id").asText()).containsExactly("j1", "j2");
        }
    }

    private static Map<String, Integer> servedBy(ApiClient a, ApiClient b, List<String> batches) {
        Map<String, Integer> owners = new HashMap<>();
        for (String batch : batches) {
            ApiClient.Answer answer = a.get("/api/batches/" + batch);
            owners.merge(answer.header("X-Argus-Served-By").orElse("self"), 1, Integer::sum);
        }
        return owners;
    }

    private static int doneJobs(ApiClient.Answer answer) {
        return answer.status() == 200 ? answer.json().path("job_counts").path("done").asInt() : -1;
    }

    private QueryConfig config(String prefix, String applicationId) throws Exception {
        return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "multi-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.TOPICS_PARTITIONS, "3",
            QueryConfig.HTTP_PORT, "0"));
    }

    private static String event(String type, String batch, Map<String, Object> fields) throws Exception {
        Map<String, Object> json = new HashMap<>(fields);
        json.put("type", type);
        json.put("batch_id", batch);
        json.put("event_id", batch + "-" + type + (fields.containsKey("job_id") ? "-" + fields.get("job_id") : ""));
        json.put("ts", T0.toString());
        return ViewJson.mapper().writeValueAsString(json);
    }
}
