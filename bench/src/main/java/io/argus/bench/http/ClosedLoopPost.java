package io.argus.bench.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs events as fast as the service takes them, closed loop: each of C senders posts a body, waits for the
 * answer (200 only once Kafka acknowledged every event), then posts the next. Throughput is what C senders get;
 * latency is each request's own, from sending to the answer. Bodies are built before the clock starts.
 */
final class ClosedLoopPost {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int ERROR_BODY_CHARS = 200;

    private final URI url;
    private final String path;
    private final ThreadLocal<KeepAliveHttp> connections;
    private final int eventsPerRequest;
    private final IngestEvents[] streams;

    ClosedLoopPost(URI url, int senders, int eventsPerRequest, String runTag) {
        this.url = url;
        this.path = url.getRawPath();
        this.connections = ThreadLocal.withInitial(() -> new KeepAliveHttp(url));
        this.eventsPerRequest = eventsPerRequest;
        this.streams = new IngestEvents[senders];
        for (int i = 0; i < senders; i++) {
            streams[i] = new IngestEvents(runTag, i);
        }
    }

    /** Posts for {@code duration}; the streams go on where the previous call (the warm-up) stopped. */
    LoadResult run(Duration duration) throws InterruptedException {
        Latencies latencies = new Latencies();
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(streams.length, Daemons.named("post-sender"));
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (IngestEvents stream : streams) {
            pool.execute(() -> {
                while (System.nanoTime() - end < 0 && !Thread.currentThread().isInterrupted()) {
                    sent.incrementAndGet();
                    send(stream.body(eventsPerRequest), latencies);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(duration.plus(REQUEST_TIMEOUT).toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.SECONDS); // The interrupted senders record nothing.
        }
        long elapsed = System.nanoTime() - start;
        latencies.unfinished(sent.get() - latencies.recorded());
        return latencies.result(sent.get(), elapsed);
    }

    private void send(String body, Latencies latencies) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String type = eventsPerRequest == 1 ? "application/json" : "application/x-ndjson";
        long started = System.nanoTime();
        try {
            KeepAliveHttp.Answer answer = connections.get().post(path, type, bytes, true);
            long latency = System.nanoTime() - started;
            if (answer.status() == 200) {
                latencies.ok(latency, eventsPerRequest);
            } else {
                latencies.error(latency, "HTTP " + answer.status() + " from " + url + ": "
                    + answer.body().substring(0, Math.min(answer.body().length(), ERROR_BODY_CHARS)));
            }
        } catch (IOException e) {
            latencies.error(System.nanoTime() - started, e.toString());
        }
    }
}
