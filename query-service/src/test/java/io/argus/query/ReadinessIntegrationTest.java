package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /readyz: ready only when the fold runs and its lag on the event log is within argus.ready.max.lag. */
@ExtendWith(RealKafkaAndRegistry.class)
class ReadinessIntegrationTest {

    private final SharedTestStack stack;

    ReadinessIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void aFoldBehindTheLogIsRunningButNotReady() throws Exception {
        // A bound no lag can meet: as soon as the lag is known, the instance counts as catching up.
        try (QueryService service = QueryService.start(config("-1"), Clock.systemUTC())) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                api.post("/api/events", "{\"type\":\"heartbeat\",\"batch_id\":\"b-ready\"}");
                return api.get("/readyz").body().contains("CATCHING_UP");
            });
            ApiClient.Answer ready = api.get("/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("ready").asBoolean()).isFalse();
            assertThat(api.get("/healthz").status()).as("alive all the same").isEqualTo(200);
        }
    }

    @Test
    void aFoldThatStoppedForGoodFailsTheLivenessProbe() throws Exception {
        try (QueryService service = QueryService.start(config("1000"), Clock.systemUTC())) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/readyz").status() == 200);
            assertThat(api.get("/healthz").status()).isEqualTo(200);

            // What the thread failure policy does once its budget is spent: the Streams client shuts down.
            service.fold().streams().close(Duration.ofSeconds(30));

            ApiClient.Answer health = api.get("/healthz");
            assertThat(health.status()).as(health.body()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("down");
            assertThat(health.json().path("state").asText()).isEqualTo("NOT_RUNNING");
        }
    }

    @Test
    void aBurstOfFiftyThousandEventsDoesNotTakeAMovingFoldOutOfTheService() throws Exception {
        try (QueryService service = QueryService.start(config("1000"), Clock.systemUTC())) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/readyz").status() == 200);
            String batch = TestNames.unique("b-burst");
            int events = 50_000;
            int perRequest = 1_000;
            // The fold is paused while the burst lands, so it is certainly behind by the whole burst, then moves.
            service.fold().streams().pause();
            List<String> notReady = new ArrayList<>();
            double maxLag = 0;
            for (int sent = 0; sent < events; sent += perRequest) {
                StringBuilder body = new StringBuilder();
                for (int i = sent; i < sent + perRequest; i++) {
                    body.append("{\"type\":\"heartbeat\",\"batch_id\":\"").append(batch)
                        .append("\",\"event_id\":\"").append(batch).append('-').append(i).append("\"}\n");
                }
                assertThat(api.post("/api/events", body.toString()).status()).isEqualTo(200);
                maxLag = Math.max(maxLag, probe(api, service, notReady));
            }
            service.fold().streams().resume();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            double lag;
            do {
                lag = probe(api, service, notReady);
                maxLag = Math.max(maxLag, lag);
            } while ((lag > 0 || maxLag <= 1000) && System.nanoTime() < deadline);
            assertThat(maxLag).as("the fold was behind by more than argus.ready.max.lag").isGreaterThan(1000);
            assertThat(lag).as("caught up").isZero();
            assertThat(notReady).as("every /readyz answer during the burst").isEmpty();
            System.out.printf("readiness under a burst: %d events, fold behind by up to %.0f, /readyz 200 "
                + "throughout%n", events, maxLag);
        }
    }

    /** One /readyz answer (kept when not 200) and the fold's lag now. */
    private static double probe(ApiClient api, QueryService service, List<String> notReady) throws Exception {
        ApiClient.Answer ready = api.get("/readyz");
        if (ready.status() != 200) {
            notReady.add(ready.body());
        }
        return FoldLag.max(service.fold().streams(), service.fold().topics().events().name()).orElse(0);
    }

    private QueryConfig config(String maxLag) throws Exception {
        return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-ready"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "ready-state").toString(),
            QueryConfig.TOPICS_PREFIX, TestNames.unique("ready") + ".",
            QueryConfig.HTTP_PORT, "0",
            QueryConfig.READY_MAX_LAG, maxLag));
    }
}
