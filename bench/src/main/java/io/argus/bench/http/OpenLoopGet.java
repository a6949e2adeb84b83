package io.argus.bench.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * GETs one URL at a fixed rate, open loop: request i is due at {@code start + i / rate} and its latency counts from
 * then, so a slow answer neither delays the schedule nor hides the wait of the requests behind it (no coordinated
 * omission). Each of S senders owns one keep-alive connection and the requests i with {@code i mod S} its own; it
 * sleeps until the next is due and sends it at once, so no request waits in a queue for a thread to wake up. A
 * sender that falls behind sends its late requests back to back, each counted from its due time.
 */
final class OpenLoopGet {

    /** How long a sender may still be answering once the schedule has ended. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final String path;
    private final int rate;
    private final int senders;

    OpenLoopGet(URI url, int rate, int senders) {
        this.url = url;
        this.path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        this.rate = rate;
        this.senders = senders;
    }

    /** Sends {@code rate} requests a second for {@code duration} and waits for their answers. */
    LoadResult run(Duration duration) throws InterruptedException {
        Latencies latencies = new Latencies();
        long intervalNanos = 1_000_000_000L / rate;
        long total = duration.toNanos() / intervalNanos;
        long startedMillis = System.currentTimeMillis() + 10;
        long start = System.nanoTime() + 10_000_000L; // every sender is waiting before the first is due
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int first = s;
            Thread sender = new Thread(() -> {
                try (KeepAliveHttp connection = new KeepAliveHttp(url)) {
                    for (long i = first; i < total; i += senders) {
                        long due = start + i * intervalNanos;
                        awaitNanoTime(due);
                        send(connection, due, latencies);
                    }
                }
            }, "get-sender-" + s);
            sender.setDaemon(true);
            sender.start();
            threads.add(sender);
        }
        long deadline = System.nanoTime() + duration.toNanos() + DRAIN_TIMEOUT.toNanos();
        for (Thread sender : threads) {
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        long elapsed = System.nanoTime() - start;
        latencies.unfinished(total - latencies.recorded());
        return latencies.result(total, startedMillis, elapsed);
    }

    private void send(KeepAliveHttp connection, long due, Latencies latencies) {
        try {
            KeepAliveHttp.Answer answer = connection.get(path, false);
            long latency = System.nanoTime() - due;
            if (answer.status() == 200) {
                latencies.ok(latency, 0);
            } else {
                latencies.error(latency, "HTTP " + answer.status() + " from " + url);
            }
        } catch (IOException e) {
            latencies.error(System.nanoTime() - due, e.toString());
        }
    }

    /** Parks until the due time; parkNanos may wake early, hence the loop (bounded by {@code due}). */
    private static void awaitNanoTime(long due) {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
