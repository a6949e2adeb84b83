package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.embedded.FreePorts;
import io.argus.embedded.StandaloneKafkaBroker;
import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;

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

/**
 * The broker bounce drill: the broker is stopped for a while in the middle of ingest, then started again on its
 * data. While it is down, ingest answers 503 with Retry-After and the ids of the request's events; the launcher
 * re-sends with those ids. Nothing acknowledged is lost and nothing re-sent counts twice.
 * {@code -Dargus.drill.bounce.seconds=N} (default 10) keeps the broker down longer.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class BrokerBounceDrillTest {

    private static final Duration DOWN = Duration.ofSeconds(Long.getLong("argus.drill.bounce.seconds", 10));

    private final SharedTestStack stack;

    BrokerBounceDrillTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void ingestAnswers503WithTheIdsWhileTheBrokerIsDownAndLosesOrDoublesNothing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "bounce-");
        int port = FreePorts.loopback();
        StandaloneKafkaBroker broker = StandaloneKafkaBroker.start(dir.resolve("kafka"), port);
        String batch = TestNames.unique("b-bounce");
        Launcher launcher = new Launcher(batch);
        try (QueryService service = QueryService.start(config(broker, dir), Clock.systemUTC())) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);
            assertThat(api.post("/api/events", "{\"type\":\"batch_start\",\"batch_id\":\"" + batch
                + "\",\"event_id\":\"" + batch + "-start\",\"source_project\":\"drill\",\"experiment_type\":"
                + "\"bounce\",\"n_total\":1000,\"command\":\"python run.py\"}").status()).isEqualTo(200);
            launcher.sendUntilAcknowledged(api, 20);

            broker.close();
            long downUntil = System.nanoTime() + DOWN.toNanos();
            while (System.nanoTime() < downUntil) {
                launcher.sendOnce(api);
            }
            broker = StandaloneKafkaBroker.start(dir.resolve("kafka"), port);
            launcher.finishPending(api);
            launcher.sendUntilAcknowledged(api, 20);

            System.out.printf("broker bounce drill: down %d s, %d jobs acknowledged, %d answers 503 (all with "
                + "Retry-After and ids), %d re-sent%n", DOWN.toSeconds(), launcher.acknowledged.size(),
                launcher.unavailable, launcher.resent);
            assertThat(launcher.unavailable).as("503s while the broker was down").isPositive();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                JsonNode view = api.get("/api/batches/" + batch).json();
                assertThat(view.path("job_counts").path("failed").asInt()).isEqualTo(launcher.acknowledged.size());
            });
            for (String job : launcher.acknowledged) {
                JsonNode failures = api.get("/api/batches/" + batch + "/jobs/" + job).json().path("failures");
                assertThat(failures).as(job).hasSize(1);
                assertThat(failures.get(0).path("report_count").asInt()).as("%s reported once", job).isEqualTo(1);
            }
        } finally {
            broker.close();
        }
    }

    /**
     * A launcher that sends each job's start and failure without ids, and re-sends a request that got a 503 with
     * the ids the answer gave: the only way to make a re-sent event the same event.
     */
    private static final class Launcher {
        private final String batch;
        private final List<String> acknowledged = new ArrayList<>();
        private int next;
        private String pending;
        private int unavailable;
        private int resent;

        Launcher(String batch) {
            this.batch = batch;
        }

        void sendUntilAcknowledged(ApiClient api, int jobs) {
            int target = acknowledged.size() + jobs;
            while (acknowledged.size() < target) {
                sendOnce(api);
            }
        }

        void finishPending(ApiClient api) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                sendOnce(api);
                return pending == null;
            });
        }

        void sendOnce(ApiClient api) {
            String job = "job-" + next;
            String body = pending != null ? pending : events(job, Optional.empty());
            ApiClient.Answer answer = api.post("/api/events", body);
            if (pending != null) {
                resent++;
            }
            if (answer.status() == 200) {
                acknowledged.add(job);
                pending = null;
                next++;
                return;
            }
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isPresent();
            JsonNode ids = answer.json().path("event_ids");
            assertThat(ids).as(answer.body()).hasSize(2);
            unavailable++;
            pending = events(job, Optional.of(ids));
        }

        private String events(String job, Optional<JsonNode> ids) {
            String start = "{\"type\":\"job_start\",\"batch_id\":\"" + batch + "\",\"job_id\":\"" + job
                + "\",\"attempt\":1" + ids.map(i -> ",\"event_id\":\"" + i.get(0).asText() + "\"").orElse("") + "}";
            String failed = "{\"type\":\"job_failed\",\"batch_id\":\"" + batch + "\",\"job_id\":\"" + job
                + "\",\"attempt\":1,\"rank\":0,\"error_type\":\"NCCLTimeout\",\"message\":\"rank 0 timed out\""
                + ids.map(i -> ",\"event_id\":\"" + i.get(1).asText() + "\"").orElse("") + "}";
            return start + "\n" + failed;
        }
    }

    private QueryConfig config(StandaloneKafkaBroker broker, Path dir) {
        return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-bounce"),
            StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString(),
            QueryConfig.HTTP_PORT, "0",
            QueryConfig.INGEST_ACK_TIMEOUT_MS, "2000"));
    }
}
