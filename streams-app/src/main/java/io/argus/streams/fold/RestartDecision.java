package io.argus.streams.fold;

import io.argus.streams.state.BatchState;
import io.argus.streams.state.Decision;
import io.argus.streams.state.JobState;
import java.util.Optional;

/**
 * Rules 11 to 13, deciding side: the restart decision for one attempt of a job, from the folded state alone. The
 * query service adds the bounded wait and the safe default (RESTART) when this says {@link Verdict#UNDECIDED}.
 */
public final class RestartDecision {

    public enum Verdict { RESTART, STOP, UNDECIDED }

    /**
     * @param verdict       the decision
     * @param reason        why, in words an operator can act on
     * @param restartBudget attempts allowed in all: max_restarts + 1
     */
    public record Outcome(Verdict verdict, String reason, int restartBudget) {
    }

    private RestartDecision() {
    }

    public static Outcome decide(BatchState batch, Optional<JobState> job, int attempt) {
        int budget = batch.getMaxRestarts() + 1;
        if (batch.getStopping()) {
            return new Outcome(Verdict.STOP, "stop requested by " + batch.getStopRequestedBy() + ": "
                + batch.getStopReason(), budget);
        }
        Optional<Decision> attribution = job.flatMap(j -> j.getDecisions().stream()
            .filter(d -> d.getAttempt() == attempt && !d.getLate())
            .findFirst());
        if (attribution.isPresent() && attribution.get().getVerdict().equals("STOP")) {
            return new Outcome(Verdict.STOP, "attribution by " + attribution.get().getSource() + ": "
                + attribution.get().getReason(), budget);
        }
        if (attempt >= budget) {
            return new Outcome(Verdict.STOP, "restart budget spent: attempt " + attempt + " of " + budget
                + " (max_restarts " + batch.getMaxRestarts() + ")", budget);
        }
        if (attribution.isPresent()) {
            return new Outcome(Verdict.RESTART, "attribution by " + attribution.get().getSource() + ": "
                + attribution.get().getReason(), budget);
        }
        return new Outcome(Verdict.UNDECIDED, "no attribution for attempt " + attempt + " yet", budget);
    }
}
