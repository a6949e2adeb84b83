package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests Jetty refuses before any route runs still get the API's JSON error, with a 4xx that says what is wrong.
 * No broker needed: these never reach the routes.
 */
class HttpErrorAnswersTest {

    private Javalin http;

    @BeforeEach
    void start() {
        ArgusHttp.Readiness ready = new ArgusHttp.Readiness(true, "RUNNING");
        http = ArgusHttp.create(Optional::empty, new ArgusHttp.Settings(() -> ready, () -> ready,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.empty(), false, Duration.ofSeconds(10)))
            .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown HTTP version      | GET /readyz HTTP/9.9                      | 400 | bad_request",
        "encoded NUL in the path   | GET /api/batches/a%00b HTTP/1.1           | 400 | bad_request",
        "bad UTF-8 percent-encoding| GET /api/batches/%C3%28 HTTP/1.1          | 400 | bad_request",
        "lone percent sign         | GET /api/batches/% HTTP/1.1               | 400 | bad_request",
        "dot-dot above the root    | GET /dashboard/../../etc/passwd HTTP/1.1  | 400 | bad_request",
        "control byte in the path  | GET /a\u0001b HTTP/1.1                    | 400 | bad_request",
        "no URI                    | garbage                                   | 400 | bad_request",
        "unknown method            | FROB /api/batches HTTP/1.1                | 405 | method_not_allowed",
        "method a route lacks      | DELETE /readyz HTTP/1.1                   | 405 | method_not_allowed",
        "no such path              | GET /nope HTTP/1.1                        | 404 | not_found"})
    void aBadRequestLineGetsAJsonError(String name, String requestLine, int status, String error) {
        RawHttp.Answer answer = RawHttp.send(http.port(), requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertJsonError(answer, status, error);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "URI of 20,000 bytes    | 414 | uri_too_long",
        "header of 20,000 bytes | 431 | headers_too_large",
        "space in a header name | 400 | bad_request",
        "two Host headers       | 400 | bad_request",
        "bad Content-Length     | 400 | bad_request",
        "chunked with a length  | 400 | bad_request"})
    void badHeadersGetAJsonError(String name, int status, String error) {
        String big = "a".repeat(20_000);
        String request = switch (name) {
            case "URI of 20,000 bytes" -> "GET /api/batches/" + big + " HTTP/1.1\r\nHost: x\r\n";
            case "header of 20,000 bytes" -> "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n";
            case "space in a header name" -> "GET /readyz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n";
            case "two Host headers" -> "GET /readyz HTTP/1.1\r\nHost: x\r\nHost: y\r\n";
            case "bad Content-Length" -> "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n";
            default -> "POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n";
        };
        assertJsonError(RawHttp.send(http.port(), request + "Connection: close\r\n\r\n"), status, error);
    }

    private static void assertJsonError(RawHttp.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer.json().path("error").asText()).isEqualTo(error);
        assertThat(answer.json().path("detail").asText()).isNotBlank()
            .doesNotContainPattern("\\b(java|org|com|io)\\.[a-z]+\\.|Exception|<html");
    }
}
