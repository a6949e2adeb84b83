package io.argus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** How the client fails: against closed ports and loopback failure injectors, never against a fake registry. */
class FailureHandlingTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Run").namespace("io.argus.test")
            .fields().requiredString("id").endRecord();
    private static final int MAX_RETRIES = 3;

    private static RegistryClientConfig.Builder fastRetries(String url) {
        return RegistryClientConfig.builder()
                .url(url)
                .maxRetries(MAX_RETRIES)
                .retryBackoff(Duration.ofMillis(10))
                .retryBackoffMax(Duration.ofMillis(40))
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(20));
    }

    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReportedAsNoResponse() throws IOException {
        String url = "http://127.0.0.1:" + closedLoopbackPort();
        long started = System.nanoTime();
        try (HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(url).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.register("runs-value", SCHEMA));

            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.attempts()).isEqualTo(MAX_RETRIES + 1);
            assertThat(client.httpAttempts()).isEqualTo(MAX_RETRIES + 1);
            assertThat(e.subject()).contains("runs-value");
            assertThat(e.getMessage()).contains("runs-value", "no HTTP response", "after 4 attempts");
            assertThat(e.getCause()).isInstanceOf(IOException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void serviceUnavailableIsRetriedThenReportedWithItsStatus() {
        try (LoopbackServer server = LoopbackServer.answering(503, "{\"error_code\":50003,\"message\":\"forward failed\"}");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url()).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(42));

            assertThat(server.seen()).hasSize(MAX_RETRIES + 1);
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo(50003);
            assertThat(e.registryMessage()).contains("forward failed");
            assertThat(e.schemaId()).hasValue(42);
            assertThat(e.attempts()).isEqualTo(MAX_RETRIES + 1);
            assertThat(e.getMessage()).contains("HTTP 503", "schema id=42", "error_code=50003", "forward failed");
        }
    }

    @Test
    void tooManyRequestsIsRetriedWithinTheBackoffMaximum() {
        try (LoopbackServer server = LoopbackServer.answering(429, "{\"error_code\":429,\"message\":\"slow down\"}",
                Map.of("Retry-After", "3600"));
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url()).build())) {
            long started = System.nanoTime();
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.lookup("runs-value", SCHEMA));

            assertThat(server.seen()).hasSize(MAX_RETRIES + 1);
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void unauthorizedIsNotRetriedAndBasicCredentialsWereSent() {
        try (LoopbackServer server = LoopbackServer.answering(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(
                     fastRetries(server.url()).basicAuthUserInfo("argus:s3cret").build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.register("runs-value", SCHEMA));

            assertThat(server.seen()).hasSize(1);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.errorCode()).isEqualTo(40101);
            assertThat(e.getMessage()).contains("HTTP 401", "runs-value").doesNotContain("s3cret");
            String expected = "Basic " + Base64.getEncoder().encodeToString("argus:s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(server.seen().get(0).header("Authorization")).isEqualTo(expected);
        }
    }

    @Test
    void unauthorizedIsNotRetriedAndTheCurrentBearerTokenIsSentEachCall() {
        AtomicInteger issued = new AtomicInteger();
        try (LoopbackServer server = LoopbackServer.answering(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(
                     fastRetries(server.url()).bearerToken(() -> "token-" + issued.incrementAndGet()).build())) {
            SchemaRegistryException first = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.compatibilityLevel(Optional.empty()));
            catchThrowableOfType(SchemaRegistryException.class, () -> client.compatibilityLevel(Optional.empty()));

            assertThat(first.httpStatus()).isEqualTo(401);
            assertThat(server.seen()).extracting(seen -> seen.header("Authorization"))
                    .containsExactly("Bearer token-1", "Bearer token-2");
        }
    }

    @Test
    void requestsCarryTheRegistryMediaTypesAndAnEncodedSubject() {
        try (LoopbackServer server = LoopbackServer.answering(401, "");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url() + "/apis/ccompat/v7/").build())) {
            assertThatThrownBy(() -> client.register("a b/c+d", SCHEMA)).isInstanceOf(SchemaRegistryException.class);

            LoopbackServer.Seen seen = server.seen().get(0);
            assertThat(seen.method()).isEqualTo("POST");
            assertThat(seen.rawPath()).isEqualTo("/apis/ccompat/v7/subjects/a%20b%2Fc%2Bd/versions");
            assertThat(seen.header("Accept")).isEqualTo(
                    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json");
            assertThat(seen.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(seen.header("Authorization")).isNull();
            assertThat(seen.body()).isEqualTo("{\"schema\":" + quoted(SCHEMA.toString()) + "}");
        }
    }

    @Test
    void aBodyThatIsNotJsonStillReachesTheException() {
        try (LoopbackServer server = LoopbackServer.answering(400, "Not able to deserialize data provided.");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url()).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.setCompatibilityLevel(Optional.of("runs-value"), "FULL"));

            assertThat(server.seen()).hasSize(1);
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.errorCode()).isZero();
            assertThat(e.registryMessage()).contains("Not able to deserialize data provided.");
        }
    }

    @Test
    void aNotFoundWithoutARegistryErrorCodeIsNotMistakenForAnUnknownSubject() {
        try (LoopbackServer server = LoopbackServer.answering(404, "<html>no such page</html>");
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url()).build())) {
            assertThatThrownBy(() -> client.lookup("runs-value", SCHEMA))
                    .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("HTTP 404");
            assertThatThrownBy(() -> client.checkCompatibility("runs-value", SCHEMA))
                    .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void anAnswerThatNeverComesTimesOutPerAttempt() {
        try (LoopbackServer server = LoopbackServer.silent();
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url())
                     .maxRetries(1).requestTimeout(Duration.ofMillis(300)).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(7));

            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.getMessage()).contains("no answer within 300 ms", "schema id=7");
        }
    }

    @Test
    void theCallDeadlineBoundsAllAttempts() {
        try (LoopbackServer server = LoopbackServer.silent();
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries(server.url())
                     .maxRetries(100).requestTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofMillis(500)).build())) {
            long started = System.nanoTime();
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(7));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getMessage()).contains("call deadline of 500 ms");
        }
    }

    @Test
    void aClosedClientRefusesCalls() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries("http://127.0.0.1:1").build());
        client.close();
        client.close();
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownCompatibilityLevelIsRefusedBeforeAnyCall() {
        try (HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fastRetries("http://127.0.0.1:1").build())) {
            assertThatThrownBy(() -> client.setCompatibilityLevel(Optional.empty(), "SIDEWAYS"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
            assertThat(client.httpAttempts()).isZero();
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
