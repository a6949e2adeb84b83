package io.argus.streams.fold;

import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.util.Optional;

/**
 * The state after one event: the batch record, the job record the event touched (for job events), and what the
 * event did.
 */
public record FoldResult(BatchState batch, Optional<JobState> job, Effect effect) {
}
