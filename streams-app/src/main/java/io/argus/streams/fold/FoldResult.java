package io.argus.streams.fold;

import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.util.Optional;

/**
 * The state after one event: the batch record, the job record the event names (for job events), what the event
 * did, and which of the two records changed (an unchanged one is the input's equal and need not be written).
 */
public record FoldResult(BatchState batch, Optional<JobState> job, Effect effect, boolean batchChanged,
                         boolean jobChanged) {
}
