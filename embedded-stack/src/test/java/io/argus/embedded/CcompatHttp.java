package io.argus.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Raw HTTP to the registry, the way a Confluent client talks to it: no registry library in between. */
final class CcompatHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Response(int status, JsonNode body) {
    }

    Response get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Response post(String url, String jsonBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", ConfluentCompatApi.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** Registers {@code schema} (Avro JSON text) under {@code subject}, as a serializer with auto-register does. */
    Response register(String confluentApiUrl, String subject, String schema) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("schema", schema).toString();
        return post(confluentApiUrl + "/subjects/" + subject + "/versions", body);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Response(response.statusCode(), body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
    }
}
