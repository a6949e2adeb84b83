package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event passes here on its way to the backend, in the order it was handed over. While the spool is empty,
 * events go straight to the transport and are tracked until acknowledged. The first failure (or a {@code done()}
 * that waited too long) moves every unacknowledged event, in order, into the spool; from then on new events are
 * appended behind them, and a background thread re-sends the spool in order until it is empty again. So the
 * backend receives events in the order they were published, possibly some twice (same event id: harmless).
 */
final class Outbox implements AutoCloseable {

    /** What became of one event handed to {@link #publishDurably}. */
    enum Outcome { DELIVERED, SPOOLED }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** An event sent directly and not yet acknowledged. */
    private record InFlight(ArgusEvent event, CompletableFuture<Outcome> outcome) {
    }

    private final Transport transport;
    private final Spool spool;
    private final Duration durableWait;
    private final SpoolResender resender;
    /** Orders hand-overs: checking the spool, sending, and moving events into the spool happen under it. */
    private final Object handOver = new Object();
    /** Wakes the background thread and anyone waiting for delivery; never held while taking {@link #handOver}. */
    private final Object signal = new Object();
    private final ConcurrentSkipListMap<Long, InFlight> inFlight = new ConcurrentSkipListMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;
    private long sequence;
    private boolean failoverRequested;
    private volatile boolean closed;
    private volatile boolean stopping;

    /**
     * @param durableWait how long {@link #publishDurably} waits for an acknowledgement before it spools instead
     * @param drainWait   how long one re-send from the spool waits for its acknowledgements
     */
    Outbox(Transport transport, Spool spool, Duration durableWait, Duration drainWait, String name) {
        this.transport = transport;
        this.spool = spool;
        this.durableWait = durableWait;
        this.resender = new SpoolResender(transport, spool, drainWait);
        this.worker = new Thread(this::work, "argus-outbox-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Sends in the background; never throws for a delivery problem (the event goes to the spool instead). */
    void publish(ArgusEvent event) {
        synchronized (handOver) {
            ensureOpen();
            if (spool.hasPending()) {
                spoolQuietly(List.of(event));
                return;
            }
            send(event);
        }
    }

    /**
     * Returns once the backend acknowledged the event, or once it is written and synced to the spool.
     *
     * @throws SpoolFullException       when neither happened because the spool is full
     * @throws RejectedEventException   when the backend refused the event for good
     */
    Outcome publishDurably(ArgusEvent event) {
        CompletableFuture<Outcome> outcome;
        synchronized (handOver) {
            ensureOpen();
            if (spool.hasPending()) {
                spool.append(List.of(event), true);
                return Outcome.SPOOLED;
            }
            outcome = send(event);
        }
        try {
            return outcome.get(durableWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            LOG.warn("{} did not acknowledge event {} within {} ms; spooling it and what follows it",
                transport.describe(), event.getEventId(), durableWait.toMillis());
            failover(true);
            return await(outcome);
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failover(true);
            return await(outcome);
        }
    }

    /** Events handed over and not yet acknowledged: in flight or in the spool. */
    long undelivered() {
        return inFlight.size() + spool.pendingCount();
    }

    /** Async events lost because the spool was full. */
    long dropped() {
        return dropped.get();
    }

    /** Waits up to {@code timeout} for everything handed over to be acknowledged. */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (undelivered() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                if (!waitOn(Math.min(left, 50))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Tries for up to {@code timeout} to deliver everything, keeps what is left in the spool (synced), and stops.
     * The next Reporter on the same spool directory sends what is left.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    void close(Duration timeout) {
        synchronized (handOver) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean delivered = flush(timeout);
        if (!delivered) {
            failover(false);
        }
        stopping = true;
        wakeUp();
        // Closing the transport fails what the background thread still waits for, so it stops promptly.
        transport.close(delivered ? timeout : Duration.ZERO);
        joinQuietly(worker);
        int left = spool.pendingCount();
        if (left > 0) {
            LOG.warn("{} events could not be delivered to {} and stay in the spool {}; the next Reporter on that spool"
                + " directory re-sends them", left, transport.describe(), spool.dir());
        }
        spool.close();
    }

    private CompletableFuture<Outcome> send(ArgusEvent event) {
        long id = ++sequence;
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        inFlight.put(id, new InFlight(event, outcome));
        CompletableFuture<Void> acked;
        try {
            acked = transport.send(event);
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        acked.whenComplete((ok, error) -> onAcknowledgement(id, error));
        return outcome;
    }

    /** Runs on the transport's thread: only bookkeeping here, the spool is written by the background thread. */
    private void onAcknowledgement(long id, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause == null) {
            InFlight done = inFlight.remove(id);
            if (done != null) {
                done.outcome().complete(Outcome.DELIVERED);
            }
            if (inFlight.isEmpty()) {
                wakeUp();
            }
        } else if (cause instanceof RejectedEventException rejected) {
            InFlight refused = inFlight.remove(id);
            if (refused != null) {
                LOG.error("Dropping event {} ({}): {}", refused.event().getEventId(), type(refused.event()),
                    rejected.getMessage());
                refused.outcome().completeExceptionally(rejected);
            }
            wakeUp();
        } else {
            InFlight failed = inFlight.get(id);
            if (failed != null) {
                requestFailover(failed.event(), cause);
            }
        }
    }

    private void requestFailover(ArgusEvent event, Throwable cause) {
        boolean first;
        synchronized (signal) {
            first = !failoverRequested;
            failoverRequested = true;
            signal.notifyAll();
        }
        if (first) {
            LOG.warn("{} could not take event {} ({}): {}; spooling it and every event after it",
                transport.describe(), event.getEventId(), type(event), cause.toString());
        }
    }

    /** Moves every unacknowledged event, oldest first, into the spool (synced when {@code sync}). */
    private void failover(boolean sync) {
        synchronized (handOver) {
            List<InFlight> moved = new ArrayList<>();
            for (Map.Entry<Long, InFlight> entry : inFlight.entrySet()) {
                if (inFlight.remove(entry.getKey()) != null) {
                    moved.add(entry.getValue());
                }
            }
            if (moved.isEmpty()) {
                return;
            }
            try {
                spool.append(moved.stream().map(InFlight::event).toList(), sync);
                moved.forEach(m -> m.outcome().complete(Outcome.SPOOLED));
            } catch (RuntimeException e) {
                dropped.addAndGet(moved.size());
                LOG.error("Lost {} events that were neither acknowledged nor spooled: {}", moved.size(), e.getMessage());
                moved.forEach(m -> m.outcome().completeExceptionally(e));
            }
        }
    }

    private void spoolQuietly(List<ArgusEvent> events) {
        try {
            spool.append(events, false);
        } catch (RuntimeException e) {
            long lost = dropped.addAndGet(events.size());
            LOG.error("Dropped event {} ({}), {} dropped so far: {}", events.get(0).getEventId(), type(events.get(0)),
                lost, e.getMessage());
        }
    }

    /**
     * The background thread: spools after failures, and re-sends the spool in order with backoff. Stopped by a
     * flag, never by an interrupt: an interrupt during file I/O would close the spool's channel.
     */
    private void work() {
        Duration backoff = MIN_BACKOFF;
        while (!stopping) {
            try {
                if (takeFailoverRequest()) {
                    failover(true);
                }
                if (!spool.hasPending()) {
                    pause(Duration.ofSeconds(1));
                } else if (resender.resendOnce()) {
                    backoff = MIN_BACKOFF;
                    wakeUp();
                } else {
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (RuntimeException e) {
                // Whatever went wrong (a disk error), the thread must live on: it is the spool's only sender.
                LOG.error("Re-sending from spool {} failed; retrying in {} ms", spool.dir(), MAX_BACKOFF.toMillis(), e);
                pause(MAX_BACKOFF);
            }
        }
    }

    private boolean takeFailoverRequest() {
        synchronized (signal) {
            boolean requested = failoverRequested;
            failoverRequested = false;
            return requested;
        }
    }

    /** Settled by now (acknowledged, or moved to the spool by this or an earlier failover): join, uninterrupted. */
    private static Outcome await(CompletableFuture<Outcome> outcome) {
        try {
            return outcome.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }

    private void pause(Duration duration) {
        synchronized (signal) {
            if (!failoverRequested) {
                waitOn(duration.toMillis());
            }
        }
    }

    private void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Called holding {@link #signal}; false when interrupted (the flag is kept). */
    private boolean waitOn(long millis) {
        try {
            signal.wait(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the Reporter is closed");
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String type(ArgusEvent event) {
        return event.getPayload().getClass().getSimpleName();
    }
}
