package io.argus.query;

import io.argus.streams.fold.RestartDecision;
import io.argus.streams.fold.RestartDecision.Outcome;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The answer of the decision endpoint (fold rules 11 to 13): RESTART or STOP. When no attribution has arrived, it
 * waits up to the asked time for one, then answers the safe default, RESTART, marked {@code defaulted}.
 */
record DecisionAnswer(String decision, String reason, boolean defaulted, int attempt, int restartBudget) {

    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final long POLL_MS = 50;

    /** The state as it is now: the batch, and the job when it has been seen. */
    record Snapshot(BatchState batch, Optional<JobState> job) {
    }

    static DecisionAnswer decide(Supplier<Snapshot> state, int attempt, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Snapshot now = state.get();
            Outcome outcome = RestartDecision.decide(now.batch(), now.job(), attempt);
            if (outcome.verdict() != RestartDecision.Verdict.UNDECIDED) {
                return new DecisionAnswer(outcome.verdict().name(), outcome.reason(), false, attempt,
                    outcome.restartBudget());
            }
            if (System.nanoTime() >= deadline) {
                return new DecisionAnswer("RESTART", "no attribution for attempt " + attempt + " within "
                    + wait.toMillis() + " ms: the safe default", true, attempt, outcome.restartBudget());
            }
            // The attribution arrives through the log into the local store; poll it until the deadline.
            try {
                Thread.sleep(Math.min(POLL_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted while waiting for an attribution");
            }
        }
    }
}
