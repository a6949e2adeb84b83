package io.argus.bench;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The bench's own calls to one Argus service: readiness, reading views until the fold shows something, and ingest
 * while setting a scenario up. Not the measured load: that comes from the load generator's keep-alive connections.
 */
public final class ServiceHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which the service does not take.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();
    private final String baseUrl;

    ServiceHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The status of a GET, or -1 when nothing answers yet. */
    public int status(String path) {
        try {
            return send(get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The JSON body of a 200; empty for 404 (not folded yet) and 503 (rebalancing), which a later poll may turn;
     * anything else fails.
     */
    public Optional<JsonNode> view(String path) {
        HttpResponse<String> response;
        try {
            response = send(get(path), HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> Optional.of(JSON.readTree(response.body()));
                case 404, 503 -> Optional.empty();
                default -> throw new IllegalStateException("GET " + path + " answered " + response.statusCode()
                    + ": " + response.body());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        }
    }

    /** POSTs a body and fails unless the answer is 200. */
    public void post(String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
            .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        }
    }

    /** Ids contain {@code /}: a path segment must carry it as {@code %2F}, and a space as {@code %20}. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return http.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
