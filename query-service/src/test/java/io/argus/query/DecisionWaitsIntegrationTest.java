package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.registry.RegistryClientConfig;
import io.argus.streams.view.ViewJson;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Decision waits hold no HTTP thread: with 500 of them outstanding (the configured bound) /healthz still answers at
 * once, one more wait is refused with 503, and a wait is answered as soon as the fold applies its decision.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class DecisionWaitsIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final int WAITS = 500;
    /** Far more than a /healthz answer may take, far less than the waits' 30 s. */
    private static final Duration HEALTHZ_BOUND = Duration.ofSeconds(3);

    private final SharedTestStack stack;

    DecisionWaitsIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void manyWaitsStarveNothingAndAWaitEndsWhenItsDecisionArrives() throws Exception {
        String batch = TestNames.unique("b-waits");
        // HTTP/1.1: one connection per wait, as launchers make them (an h2c upgrade would queue them behind it).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (QueryService service = QueryService.start(config(), new MutableClock(T0.plusSeconds(60)))) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);
            assertThat(api.post("/api/events", String.join("\n",
                event("batch_start", batch, Map.of("source_project", "p", "experiment_type", "e", "n_total", WAITS,
                    "command", "c", "max_restarts", 1)),
                event("job_start", batch, Map.of("job_id", "j0", "attempt", 1)),
                event("job_failed", batch, Map.of("job_id", "j0", "attempt", 1, "error_type", "OOM",
                    "message", "m")))).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/batches/" + batch).status() == 200);

            List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
            for (int i = 0; i < WAITS; i++) {
                waits.add(client.sendAsync(request(service, decision(batch, "j" + i, 30_000)),
                    HttpResponse.BodyHandlers.ofString()));
            }
            // Once all 500 are outstanding, a short wait is one more: refused. (Probing earlier would race the waits:
            // an admitted probe holds a place for its millisecond.)
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/metrics").body()
                .contains("argus_decision_waits_outstanding " + WAITS + ".0"));
            assertThat(api.get(decision(batch, "probe", 1)).status()).isEqualTo(503);
            ApiClient.Answer refused = api.get(decision(batch, "probe", 1));
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(refused.json().path("error").asText()).isEqualTo("unavailable");

            List<Long> healthz = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                assertThat(api.get("/healthz").status()).isEqualTo(200);
                healthz.add((System.nanoTime() - start) / 1_000_000);
            }
            healthz.sort(Long::compare);
            System.out.printf("healthz with %d decision waits outstanding: max %d ms, p99 %d ms, median %d ms%n",
                WAITS, healthz.get(healthz.size() - 1), healthz.get(healthz.size() * 99 / 100 - 1),
                healthz.get(healthz.size() / 2));
            assertThat(healthz.get(healthz.size() - 1)).isLessThan(HEALTHZ_BOUND.toMillis());
            assertThat(waits).as("every wait is still waiting").noneMatch(CompletableFuture::isDone);

            long attributed = System.nanoTime();
            assertThat(api.post("/api/events", event("attribution", batch, Map.of("job_id", "j0", "attempt", 1,
                "verdict", "STOP", "reason", "bad config", "source", "classifier"))).status()).isEqualTo(200);
            HttpResponse<String> answered = waits.get(0).get(20, java.util.concurrent.TimeUnit.SECONDS);
            System.out.printf("a wait answered %d ms after its attribution was posted%n",
                (System.nanoTime() - attributed) / 1_000_000);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(ViewJson.mapper().readTree(answered.body()).path("decision").asText()).isEqualTo("STOP");
            assertThat(ViewJson.mapper().readTree(answered.body()).path("defaulted").asBoolean()).isFalse();
        }
    }

    private static String decision(String batch, String job, long waitMs) {
        return "/api/batches/" + batch + "/jobs/" + job + "/decision?attempt=1&wait_ms=" + waitMs;
    }

    private static HttpRequest request(QueryService service, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .timeout(Duration.ofSeconds(60)).build();
    }

    private QueryConfig config() throws Exception {
        return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-waits"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "waits-state").toString(),
            QueryConfig.TOPICS_PREFIX, TestNames.unique("waits") + ".",
            QueryConfig.HTTP_PORT, "0",
            QueryConfig.DECISION_MAX_WAITS, Integer.toString(WAITS)));
    }

    private static String event(String type, String batch, Map<String, Object> fields) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.put("batch_id", batch);
        json.put("ts", T0.toString());
        json.putAll(fields);
        return ViewJson.mapper().writeValueAsString(json);
    }
}
