package io.argus.streams.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's uncaught exception does: the thread is replaced, so a passing fault (a registry restart)
 * heals by itself; but a fault that keeps coming back (more than {@code maxFailures} within {@code window}) shuts the
 * client down, loudly, instead of looping silently. Each failure is logged once, with its stack trace.
 */
final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Long> recentFailures = new ArrayDeque<>();

    ThreadFailurePolicy(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        long now = nanoClock.getAsLong();
        recentFailures.addLast(now);
        while (!recentFailures.isEmpty() && now - recentFailures.peekFirst() > windowNanos) {
            recentFailures.removeFirst();
        }
        if (recentFailures.size() > maxFailures) {
            LOG.error("Stream thread failed {} times within {} s; shutting this client down. Last failure:",
                recentFailures.size(), windowNanos / 1_000_000_000L, failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("Stream thread failed ({} of at most {} within {} s); replacing it. Failure:",
            recentFailures.size(), maxFailures, windowNanos / 1_000_000_000L, failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
