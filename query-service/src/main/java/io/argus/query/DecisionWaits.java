package io.argus.query;

import io.argus.streams.topology.BatchChanges;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Decision waits without a thread each: a wait is a future, looked at again when the fold changes its batch
 * ({@link BatchChanges}) and answered with the safe default when its time is up. At most {@code maxWaits} are
 * outstanding; one more is answered 503 with Retry-After at once.
 */
final class DecisionWaits implements AutoCloseable {

    private final BatchChanges changes;
    private final int maxWaits;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Set<Wait> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Runs the looks and the deadlines; a look reads a local store, never the network. */
    private final ScheduledExecutorService looks = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "argus-decision-waits");
        thread.setDaemon(true);
        return thread;
    });

    DecisionWaits(BatchChanges changes, int maxWaits) {
        this.changes = changes;
        this.maxWaits = maxWaits;
    }

    /**
     * The decision for the attempt: at once when the state gives one or nothing is to be waited for, otherwise when
     * the fold brings one or the wait ends (then the safe default).
     */
    CompletableFuture<DecisionAnswer> decide(String batchId, Supplier<DecisionAnswer.Snapshot> state, int attempt,
                                             Duration wait) {
        Optional<DecisionAnswer> now = DecisionAnswer.decided(state.get(), attempt);
        if (now.isPresent() || wait.isZero()) {
            return CompletableFuture.completedFuture(now.orElseGet(() ->
                DecisionAnswer.decidedOrDefault(state.get(), attempt, wait)));
        }
        if (closed) {
            throw stopping();
        }
        if (outstanding.incrementAndGet() > maxWaits) {
            outstanding.decrementAndGet();
            throw ApiException.unavailable("too many decision waits outstanding (at most " + maxWaits
                + "); ask again, or ask without wait_ms");
        }
        return new Wait(batchId, state, attempt, wait).answer;
    }

    int outstanding() {
        return outstanding.get();
    }

    /**
     * Ends every outstanding wait with a 503 that says to ask again (another instance, or this one restarted, will
     * answer), so that a stopping service drains at once instead of holding the waits to their end.
     */
    @Override
    public void close() {
        closed = true;
        waiting.forEach(wait -> wait.answer.completeExceptionally(stopping()));
        looks.shutdownNow();
    }

    private static ApiException stopping() {
        return ApiException.unavailable("this instance is stopping; ask again");
    }

    /** One outstanding wait. */
    private final class Wait {
        private final Supplier<DecisionAnswer.Snapshot> state;
        private final int attempt;
        private final CompletableFuture<DecisionAnswer> answer = new CompletableFuture<>();
        /** Many changes while a look is queued need no second look. */
        private final AtomicBoolean lookQueued = new AtomicBoolean();

        Wait(String batchId, Supplier<DecisionAnswer.Snapshot> state, int attempt, Duration wait) {
            this.state = state;
            this.attempt = attempt;
            // Known before close() can miss it: close() sets closed, then ends every wait it knows.
            waiting.add(this);
            answer.whenComplete((decision, failure) -> {
                waiting.remove(this);
                outstanding.decrementAndGet();
            });
            if (closed) {
                answer.completeExceptionally(stopping());
                return;
            }
            // Listen first, then look: a change between the first read and listening is not missed.
            BatchChanges.Listening listening = changes.listen(batchId, this::queueLook);
            answer.whenComplete((decision, failure) -> listening.close());
            try {
                ScheduledFuture<?> deadline = looks.schedule(() -> answerWith(() ->
                    DecisionAnswer.decidedOrDefault(state.get(), attempt, wait)), wait.toMillis(), TimeUnit.MILLISECONDS);
                answer.whenComplete((decision, failure) -> deadline.cancel(false));
                queueLook();
            } catch (RejectedExecutionException closing) {
                answer.completeExceptionally(stopping());
            }
        }

        /** Called on the stream thread: only hands the look on. */
        private void queueLook() {
            if (lookQueued.compareAndSet(false, true)) {
                try {
                    looks.execute(() -> {
                        lookQueued.set(false);
                        if (!answer.isDone()) {
                            answerWith(() -> DecisionAnswer.decided(state.get(), attempt).orElse(null));
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    // close() ended this wait already; the stream thread must not fail over it.
                }
            }
        }

        private void answerWith(Supplier<DecisionAnswer> look) {
            try {
                DecisionAnswer decision = look.get();
                if (decision != null) {
                    answer.complete(decision);
                }
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }
    }
}
