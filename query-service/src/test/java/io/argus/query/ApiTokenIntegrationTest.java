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
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With ARGUS_API_TOKEN set, writes need the bearer token; with argus.api.protect.reads, reads do too. */
@ExtendWith(RealKafkaAndRegistry.class)
class ApiTokenIntegrationTest {

    private static final String TOKEN = "s3cret-token";
    private final SharedTestStack stack;

    ApiTokenIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void writesNeedTheTokenAndReadsToWhenProtected() throws Exception {
        try (QueryService service = QueryService.start(config("false"), Clock.systemUTC())) {
            ApiClient anonymous = new ApiClient(service.port(), Optional.empty());
            ApiClient wrong = new ApiClient(service.port(), Optional.of("guess"));
            ApiClient holder = new ApiClient(service.port(), Optional.of(TOKEN));
            await().atMost(Duration.ofSeconds(60)).until(() -> anonymous.get("/readyz").status() == 200);
            String event = "{\"type\":\"heartbeat\",\"batch_id\":\"" + TestNames.unique("b-auth") + "\"}";

            ApiClient.Answer refused = anonymous.post("/api/events", event);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized");
            assertThat(refused.header("WWW-Authenticate")).contains("Bearer");
            assertThat(wrong.post("/api/events", event).status()).isEqualTo(401);
            assertThat(anonymous.post("/api/batches/b/stop", "").status()).isEqualTo(401);
            assertThat(holder.post("/api/events", event).status()).isEqualTo(200);
            assertThat(anonymous.get("/api/batches").status()).as("reads stay open by default").isEqualTo(200);
        }
        try (QueryService service = QueryService.start(config("true"), Clock.systemUTC())) {
            ApiClient anonymous = new ApiClient(service.port(), Optional.empty());
            ApiClient holder = new ApiClient(service.port(), Optional.of(TOKEN));
            await().atMost(Duration.ofSeconds(60)).until(() -> anonymous.get("/readyz").status() == 200);

            assertThat(anonymous.get("/api/batches").status()).isEqualTo(401);
            assertThat(holder.get("/api/batches").status()).isEqualTo(200);
            assertThat(anonymous.get("/healthz").status()).as("probes never need the token").isEqualTo(200);
        }
    }

    private QueryConfig config(String protectReads) throws Exception {
        return QueryConfig.load(Optional.empty(), Map.of("ARGUS_API_TOKEN", TOKEN)).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-auth"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "auth-state").toString(),
            QueryConfig.TOPICS_PREFIX, TestNames.unique("auth") + ".",
            QueryConfig.HTTP_PORT, "0",
            QueryConfig.PROTECT_READS, protectReads));
    }
}
