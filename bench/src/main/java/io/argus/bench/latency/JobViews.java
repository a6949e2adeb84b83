package io.argus.bench.latency;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Reads batch and job views from the query service, as the dashboard does. */
final class JobViews {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which the service does not take.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).build();
    private final String baseUrl;

    JobViews(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    boolean batchVisible(String batchId) {
        return get("/api/batches/" + segment(batchId)).isPresent();
    }

    /** The job's {@code status}, empty while the service does not show the job yet. */
    Optional<String> jobStatus(String batchId, String jobId) {
        return get("/api/batches/" + segment(batchId) + "/jobs/" + segment(jobId))
            .map(body -> readStatus(body, jobId));
    }

    /** The body of a 200; empty for 404 (not folded yet) and 503 (rebalancing), which a later poll may turn. */
    private Optional<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).GET()
            .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.body());
            case 404, 503 -> Optional.empty();
            default -> throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                + response.body());
        };
    }

    private static String readStatus(String body, String jobId) {
        try {
            return JSON.readTree(body).path("status").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the view of job " + jobId + " is not JSON: " + body, e);
        }
    }

    /** Job ids contain {@code /}: a path segment must carry it as {@code %2F}, and a space as {@code %20}. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
