package io.argus.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few registry calls the stack itself needs: readiness and the global compatibility level. */
final class ConfluentCompatApi {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    ConfluentCompatApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** True when the registry's readiness check passes; a refused connection is just "not yet". */
    boolean isReady() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    void setGlobalCompatibility(String level) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("compatibility", level).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/apis/ccompat/v7/config"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        expectOk(http.send(request, HttpResponse.BodyHandlers.ofString()), "PUT /config " + body);
    }

    String globalCompatibility() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/apis/ccompat/v7/config"))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        expectOk(response, "GET /config");
        JsonNode level = JSON.readTree(response.body()).path("compatibilityLevel");
        if (!level.isTextual()) {
            throw new IOException("GET /config answered without compatibilityLevel: " + response.body());
        }
        return level.asText();
    }

    private static void expectOk(HttpResponse<String> response, String call) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException(call + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
