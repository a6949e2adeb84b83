package io.argus.bench.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs events as fast as the service takes them, closed loop: each sender posts a body, waits for the answer (200
 * only once Kafka acknowledged every event), then posts the next, until its bodies or the time run out. Throughput
 * is what the senders get; latency is each request's own, from sending to the answer, its body already built.
 */
final class ClosedLoopPost {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int ERROR_BODY_CHARS = 200;

    private final URI url;
    private final String path;
    private final ThreadLocal<KeepAliveHttp> connections;
    private final List<? extends Iterator<PostBody>> senders;

    /** @param senders one sender per element, each posting its bodies in their order */
    ClosedLoopPost(URI url, List<? extends Iterator<PostBody>> senders) {
        this.url = url;
        this.path = url.getRawPath();
        this.connections = ThreadLocal.withInitial(() -> new KeepAliveHttp(url));
        this.senders = senders;
    }

    /** Posts for at most {@code duration}; the senders go on where the previous call (the warm-up) stopped. */
    LoadResult run(Duration duration) throws InterruptedException {
        Latencies latencies = new Latencies();
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(senders.size(), Daemons.named("post-sender"));
        long startedMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (Iterator<PostBody> bodies : senders) {
            pool.execute(() -> {
                while (System.nanoTime() - end < 0 && !Thread.currentThread().isInterrupted() && bodies.hasNext()) {
                    sent.incrementAndGet();
                    send(bodies.next(), latencies);
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
        return latencies.result(sent.get(), startedMillis, elapsed);
    }

    private void send(PostBody body, Latencies latencies) {
        long started = System.nanoTime();
        try {
            KeepAliveHttp.Answer answer = connections.get().post(path, body.contentType(), body.bytes(), true);
            long latency = System.nanoTime() - started;
            if (answer.status() == 200) {
                latencies.ok(latency, body.events());
            } else {
                latencies.error(latency, "HTTP " + answer.status() + " from " + url + ": "
                    + answer.body().substring(0, Math.min(answer.body().length(), ERROR_BODY_CHARS)));
            }
        } catch (IOException e) {
            latencies.error(System.nanoTime() - started, e.toString());
        }
    }
}
