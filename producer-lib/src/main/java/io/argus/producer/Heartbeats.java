package io.argus.producer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a heartbeat at a fixed interval while the Reporter is open, so a batch whose jobs run for hours still
 * shows it is alive (the query service calls a batch stalled after three silent minutes). A daemon thread: it never
 * keeps a finished launcher alive.
 */
final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final ScheduledExecutorService timer;

    private Heartbeats(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static Heartbeats start(Duration interval, Runnable beat, String name) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "argus-heartbeat-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                beat.run();
            } catch (RuntimeException e) {
                // A failed beat must not cancel the schedule (an exception would end it for good).
                LOG.warn("Heartbeat not published: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return new Heartbeats(timer);
    }

    @Override
    public void close() {
        // No interrupt: a beat in the middle of a send finishes it (bounded by max.block.ms).
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
