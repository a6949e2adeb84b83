package io.argus.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.argus.schemas.avro.ArgusEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Events through the query service's {@code POST /api/events}, for hosts that reach HTTP but not Kafka. The service
 * answers only after Kafka acknowledged every event of a request (acks=all), so an answer of 200 is the same
 * promise a Kafka acknowledgement is. One thread posts queued events in order, up to {@value #MAX_BATCH} per
 * request; when a request fails, every event queued behind it fails too, so the spool gets them all in order.
 */
final class HttpTransport implements Transport {

    static final int MAX_BATCH = 100;
    static final int MAX_QUEUED = 10_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Queued(ArgusEvent event, CompletableFuture<Void> acked) {
    }

    private final URI endpoint;
    private final Optional<String> token;
    private final HttpClient http;
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread sender;
    private volatile boolean closing;

    HttpTransport(URI queryUrl, Optional<String> token) {
        this.endpoint = URI.create(queryUrl + "/api/events");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(QueryClient.CONNECT_TIMEOUT).build();
        this.sender = new Thread(this::postQueued, "argus-http-transport");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public CompletableFuture<Void> send(ArgusEvent event) {
        Queued queued = new Queued(event, new CompletableFuture<>());
        if (closing || !queue.offer(queued)) {
            return CompletableFuture.failedFuture(new IllegalStateException("the HTTP transport to " + endpoint
                + (closing ? " is closing" : " has " + MAX_QUEUED + " events queued")));
        }
        return queued.acked();
    }

    private void postQueued() {
        while (!closing || !queue.isEmpty()) {
            List<Queued> batch = new ArrayList<>();
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                post(batch);
            } catch (InterruptedException e) {
                batch.forEach(q -> q.acked().completeExceptionally(e));
                break;
            }
        }
        failQueued(new IllegalStateException("the HTTP transport to " + endpoint + " closed"));
    }

    /** Posts a batch; a refused batch is split to find the events refused for good. */
    private void post(List<Queued> batch) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request(batch), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failFrom(batch, e);
            return;
        }
        int status = response.statusCode();
        if (status == 200) {
            batch.forEach(q -> q.acked().complete(null));
        } else if ((status == 400 || status == 413) && batch.size() > 1) {
            int half = batch.size() / 2;
            post(batch.subList(0, half));
            post(batch.subList(half, batch.size()));
        } else if (status == 400 || status == 413) {
            batch.get(0).acked().completeExceptionally(new RejectedEventException("the query service refused event "
                + batch.get(0).event().getEventId() + " with " + status + ": " + response.body(), null));
        } else {
            failFrom(batch, new IOException("POST " + endpoint + " answered " + status + ": " + response.body()));
        }
    }

    private HttpRequest request(List<Queued> batch) {
        ArrayNode events = JSON.createArrayNode();
        batch.forEach(q -> events.add(FlatJson.of(q.event())));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(events.toString(), StandardCharsets.UTF_8));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request.build();
    }

    /** Fails the batch and everything queued behind it, keeping their order for the spool. */
    private void failFrom(List<Queued> batch, Exception cause) {
        batch.forEach(q -> q.acked().completeExceptionally(cause));
        failQueued(cause);
    }

    private void failQueued(Exception cause) {
        List<Queued> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(q -> q.acked().completeExceptionally(cause));
    }

    @Override
    public String describe() {
        return "HTTP " + endpoint;
    }

    @Override
    public void close(Duration timeout) {
        closing = true;
        try {
            sender.join(Math.max(1, timeout.toMillis()));
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
