package io.argus.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The few reads the Reporter makes from the query service (see its openapi.json): the batch view, the batch's jobs
 * and restart decisions. A 503 (the owner of the batch is rebalancing) is retried after its Retry-After until the
 * caller's deadline; anything else that is not an answer raises {@link ArgusUnavailableException}.
 */
final class QueryClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http;

    QueryClient(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The batch view; empty when the query service does not know the batch. */
    Optional<JsonNode> batch(String batchId, Duration timeout) {
        return get("/api/batches/" + segment(batchId), timeout);
    }

    /** The batch's jobs (job_id, status, attempt...); empty when the query service does not know the batch. */
    Optional<JsonNode> jobs(String batchId, Duration timeout) {
        return get("/api/batches/" + segment(batchId) + "/jobs", timeout);
    }

    /** The decision for a failed attempt; the service itself waits up to {@code waitMs} for an attribution. */
    Optional<JsonNode> decision(String batchId, String jobId, int attempt, long waitMs, Duration timeout) {
        return get("/api/batches/" + segment(batchId) + "/jobs/" + segment(jobId) + "/decision?attempt=" + attempt
            + "&wait_ms=" + waitMs, timeout);
    }

    URI base() {
        return base;
    }

    private Optional<JsonNode> get(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create(base + path);
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new ArgusUnavailableException("the Argus query service at " + base + " did not answer GET "
                    + path + " within " + timeout.toMillis() + " ms");
            }
            HttpResponse<String> response = send(uri, left);
            switch (response.statusCode()) {
                case 200:
                    return Optional.of(parse(uri, response.body()));
                case 404:
                    return Optional.empty();
                case 503:
                    pause(retryAfter(response), deadline);
                    break;
                default:
                    throw new ArgusUnavailableException("the Argus query service answered GET " + uri + " with "
                        + response.statusCode() + ": " + abbreviate(response.body()));
            }
        }
    }

    private HttpResponse<String> send(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
            .header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ArgusUnavailableException("the Argus query service did not answer GET " + uri + " within "
                + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new ArgusUnavailableException("cannot reach the Argus query service at " + base + " ("
                + ReporterConfig.QUERY_URL + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusUnavailableException("interrupted while asking the Argus query service " + uri, e);
        }
    }

    private static JsonNode parse(URI uri, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ArgusUnavailableException("the Argus query service answered GET " + uri + " with text that is"
                + " not JSON: " + abbreviate(body), e);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
            .flatMap(QueryClient::seconds)
            .orElse(Duration.ofSeconds(1));
    }

    private static Optional<Duration> seconds(String text) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Waits the server's Retry-After, but never past the caller's deadline. */
    private static void pause(Duration wait, long deadline) {
        long millis = Math.min(wait.toMillis(), TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (millis <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusUnavailableException("interrupted while waiting for the Argus query service", e);
        }
    }

    /** A path segment: job ids may hold '/' (sent as %2F) and spaces. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
