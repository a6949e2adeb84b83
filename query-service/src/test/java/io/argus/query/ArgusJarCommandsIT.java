package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code java -jar argus.jar rebuild} and {@code verify} as their own processes against a remote cluster (the shared
 * test broker and registry, named by {@code --config}), after a query service in this JVM folded two batches.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class ArgusJarCommandsIT {

    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(120);

    @Test
    void theJarRebuildsTheLogUnderANewApplicationIdAndVerifiesItAgainstTheServedOne(SharedTestStack stack)
        throws Exception {
        Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "argus-commands-");
        String prefix = TestNames.unique("jar") + ".";
        String served = TestNames.unique("argus-served");
        String rebuilt = TestNames.unique("argus-rebuilt");
        Path config = writeConfig(workDir, Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            QueryConfig.REGISTRY_URL, stack.registry().confluentApiUrl(),
            StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix));

        try (QueryService service = QueryService.start(QueryConfig.load(Optional.of(config), Map.of()).with(Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, served, QueryConfig.HTTP_PORT, "0")), Clock.systemUTC())) {
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);
            for (String batch : new String[] {TestNames.unique("b-one"), TestNames.unique("b-two")}) {
                ApiClient.Answer accepted = api.post("/api/events", TestBatch.ndjson(batch));
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/batches/" + batch).body()
                    .contains("\"status\":\"done\""));
            }

            ArgusJarProcess.Finished refused = run(workDir, "rebuild", "--config", config.toString(),
                "--application-id", served);
            assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("rebuild: application id " + served + " is in use by 1 running "
                + "member(s): rebuild under a new one").doesNotContain("\tat ");
        }

        ArgusJarProcess.Finished rebuild = run(workDir, "rebuild", "--config", config.toString(),
            "--application-id", rebuilt);
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("rebuilding " + rebuilt + " from " + prefix + "argus.events: 8 records",
            "remaining lag 0", "caught up in");

        ArgusJarProcess.Finished verify = run(workDir, "verify", "--config", config.toString(),
            "--application-id", served, "--against", rebuilt);
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).containsPattern("(?m)^batches +same +[0-9a-f]{16} \\(2 keys\\)  [0-9a-f]{16} "
            + "\\(2 keys\\)$").contains("reading " + rebuilt + "-jobs-changelog", "stores are identical");

        ArgusJarProcess.Finished unknown = run(workDir, "verify", "--config", config.toString(),
            "--application-id", served, "--against", "no-such-application");
        assertThat(unknown.exit()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("verify: no changelog topic no-such-application-batches-changelog: "
            + "is the application id right?").doesNotContain("\tat ", "Exception");
    }

    private static ArgusJarProcess.Finished run(Path workDir, String... args) throws Exception {
        return ArgusJarProcess.run(workDir, Map.of(), COMMAND_DEADLINE, args);
    }

    private static Path writeConfig(Path workDir, Map<String, String> settings) throws Exception {
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = workDir.resolve("argus.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return file;
    }
}
