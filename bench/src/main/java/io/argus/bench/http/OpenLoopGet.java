package io.argus.bench.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * GETs one URL at a fixed rate, open loop: a pacer hands each request to a pool of blocking senders at its due
 * time and its latency counts from then, so a slow answer neither delays the next request nor hides the wait of
 * those queued behind it (no coordinated omission). The pool bounds the connections to the service.
 */
final class OpenLoopGet {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long requests still queued or in flight may take once the pacer stopped. */
    private static final Duration DRAIN_TIMEOUT = REQUEST_TIMEOUT.multipliedBy(3);

    private final HttpClient client;
    private final HttpRequest request;
    private final int rate;
    private final int senders;

    OpenLoopGet(HttpClient client, URI url, int rate, int senders) {
        this.client = client;
        this.request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        this.rate = rate;
        this.senders = senders;
    }

    /** Sends {@code rate} requests a second for {@code duration} and waits for their answers. */
    LoadResult run(Duration duration) throws InterruptedException {
        Latencies latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(senders, Daemons.named("get-sender"));
        long intervalNanos = 1_000_000_000L / rate;
        long total = duration.toNanos() / intervalNanos;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            awaitNanoTime(due);
            pool.execute(() -> send(due, latencies));
        }
        pool.shutdown();
        if (!pool.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.SECONDS); // The interrupted senders record nothing.
        }
        long elapsed = System.nanoTime() - start;
        latencies.unfinished(total - latencies.recorded());
        return latencies.result(total, elapsed);
    }

    private void send(long due, Latencies latencies) {
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            long latency = System.nanoTime() - due;
            if (response.statusCode() == 200) {
                latencies.ok(latency, 0);
            } else {
                latencies.error(latency, "HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            latencies.error(System.nanoTime() - due, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Cut off by the drain deadline: counted as unfinished.
        }
    }

    /** Parks until the due time; parkNanos may wake early, hence the loop (bounded by {@code due}). */
    private static void awaitNanoTime(long due) {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
