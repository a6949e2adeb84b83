package io.argus.query;

import io.argus.streams.topology.BatchChanges;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
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

    @Override
    public void close() {
        looks.shutdownNow();
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
            // Listen first, then look: a change between the first read and listening is not missed.
            BatchChanges.Listening listening = changes.listen(batchId, this::queueLook);
            ScheduledFuture<?> deadline = looks.schedule(() -> answerWith(() ->
                DecisionAnswer.decidedOrDefault(state.get(), attempt, wait)), wait.toMillis(), TimeUnit.MILLISECONDS);
            answer.whenComplete((decision, failure) -> {
                deadline.cancel(false);
                listening.close();
                outstanding.decrementAndGet();
            });
            queueLook();
        }

        /** Called on the stream thread: only hands the look on. */
        private void queueLook() {
            if (lookQueued.compareAndSet(false, true)) {
                looks.execute(() -> {
                    lookQueued.set(false);
                    if (!answer.isDone()) {
                        answerWith(() -> DecisionAnswer.decided(state.get(), attempt).orElse(null));
                    }
                });
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
