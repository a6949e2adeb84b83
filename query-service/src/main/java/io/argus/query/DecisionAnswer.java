package io.argus.query;

import io.argus.streams.fold.RestartDecision;
import io.argus.streams.fold.RestartDecision.Outcome;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.time.Duration;
import java.util.Optional;

/**
 * The answer of the decision endpoint (fold rules 11 to 13): RESTART or STOP. When no attribution has arrived, the
 * endpoint waits up to the asked time for one ({@link DecisionWaits}), then answers the safe default, RESTART, marked
 * {@code defaulted}.
 */
record DecisionAnswer(String decision, String reason, boolean defaulted, int attempt, int restartBudget) {

    /**
     * The longest {@code wait_ms} a decision request may ask for. Part of the API (docs/api.md), not a setting: a
     * launcher relies on it. {@code argus.forward.timeout.ms} and the HTTP idle timeout are longer.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The state as it is now: the batch, and the job when it has been seen. */
    record Snapshot(BatchState batch, Optional<JobState> job) {
    }

    /** The decision the state gives, empty while it gives none (no attribution yet). */
    static Optional<DecisionAnswer> decided(Snapshot now, int attempt) {
        Outcome outcome = RestartDecision.decide(now.batch(), now.job(), attempt);
        if (outcome.verdict() == RestartDecision.Verdict.UNDECIDED) {
            return Optional.empty();
        }
        return Optional.of(new DecisionAnswer(outcome.verdict().name(), outcome.reason(), false, attempt,
            outcome.restartBudget()));
    }

    /** The decision the state gives, or the safe default after waiting {@code waited} for one. */
    static DecisionAnswer decidedOrDefault(Snapshot now, int attempt, Duration waited) {
        return decided(now, attempt).orElseGet(() -> new DecisionAnswer("RESTART", "no attribution for attempt "
            + attempt + " within " + waited.toMillis() + " ms: the safe default", true, attempt,
            now.batch().getMaxRestarts() + 1));
    }
}
