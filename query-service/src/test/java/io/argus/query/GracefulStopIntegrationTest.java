package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping an instance drains it: a decision wait ends at once with a JSON 503 that says to ask again, a request in
 * flight finishes with its real answer, and a new request on an open connection gets a JSON 503, never a cut or a
 * hang until the client gives up.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class GracefulStopIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.now();

    private final SharedTestStack stack;

    GracefulStopIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void aStopAnswersWaitsAndNewRequestsWith503AndLetsRequestsInFlightFinish() throws Exception {
        QueryService service = QueryService.start(config(), Clock.systemUTC());
        int port = service.port();
        CompletableFuture<Void> stopped = null;
        try (Socket uploading = new Socket("127.0.0.1", service.port());
             Socket idle = new Socket("127.0.0.1", service.port())) {
            uploading.setSoTimeout((int) DEADLINE.toMillis());
            idle.setSoTimeout((int) DEADLINE.toMillis());
            ApiClient api = new ApiClient(service.port(), Optional.empty());
            String batch = TestNames.unique("b-stop");
            assertThat(api.post("/api/events", FlatEvents.event(NOW, "batch_start", batch, 0, Map.of(
                "source_project", "p", "experiment_type", "e", "n_total", 1, "command", "c"))).status()).isEqualTo(200);
            assertThat(api.post("/api/events", FlatEvents.event(NOW, "job_failed", batch, 1, Map.of(
                "job_id", "j", "attempt", 1, "error_type", "OOM", "message", "m"))).status()).isEqualTo(200);
            await().atMost(DEADLINE).until(() -> api.get("/api/batches/" + batch).status() == 200);
            // Both connections are served once before the stop, so they are open, idle keep-alive connections.
            assertThat(RawExchange.get(idle, "/healthz")).startsWith("HTTP/1.1 200");
            assertThat(RawExchange.get(uploading, "/healthz")).startsWith("HTTP/1.1 200");

            CompletableFuture<ApiClient.Answer> waiting = CompletableFuture.supplyAsync(() ->
                api.get("/api/batches/" + batch + "/jobs/j/decision?attempt=1&wait_ms=30000"));
            await().atMost(DEADLINE).until(() -> api.get("/metrics").body()
                .contains("argus_decision_waits_outstanding 1.0"));
            // A request in flight: its head and half its body are sent, the rest comes during the stop.
            String event = FlatEvents.event(NOW, "heartbeat", batch, 2, Map.of());
            byte[] body = event.getBytes(StandardCharsets.UTF_8);
            OutputStream upload = uploading.getOutputStream();
            upload.write(("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            upload.write(body, 0, body.length / 2);
            upload.flush();

            long stopStarted = System.nanoTime();
            stopped = CompletableFuture.runAsync(service::close);

            ApiClient.Answer waited = waiting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(waited.status()).as(waited.body()).isEqualTo(503);
            assertThat(waited.json().path("detail").asText()).contains("stopping");
            assertThat(Duration.ofNanos(System.nanoTime() - stopStarted)).as("the wait ended by the stop")
                .isLessThan(Duration.ofSeconds(10));
            // The drain has begun once new connections are refused. Open ones get about a second more (Jetty's
            // shutdown idle timeout), so the next two steps follow at once.
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10)).until(() -> refusesConnections(port));

            String refused = RawExchange.get(idle, "/api/batches/" + batch);
            assertThat(refused).as("a new request while the instance drains").startsWith("HTTP/1.1 503");
            assertThat(refused).contains("application/json");
            assertThat(refused).as("retryable, like every 503 of the API").containsIgnoringCase("Retry-After: 1");

            upload.write(body, body.length / 2, body.length - body.length / 2);
            upload.flush();
            String finished = RawExchange.read(uploading.getInputStream());
            assertThat(finished).as("the request in flight").startsWith("HTTP/1.1 200").contains("accepted");
            stopped.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            if (stopped == null) {
                service.close();
            }
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    private QueryConfig config() throws Exception {
        return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-stop"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "stop-state").toString(),
            QueryConfig.TOPICS_PREFIX, TestNames.unique("stop") + ".",
            QueryConfig.HTTP_PORT, "0"));
    }

    /** One HTTP/1.1 exchange on a connection the test keeps open. */
    private static final class RawExchange {

        static String get(Socket socket, String path) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        }

        /** The head and a Content-Length body (the answers here are small JSON). */
        static String read(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    return head + "<closed>";
                }
                head.append((char) next);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }
}
