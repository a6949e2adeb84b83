package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole batch in memory, the batch record and all its jobs, folded event by event with the pure
 * {@link BatchFold}. Replay, time travel ({@code as_of}) and tests use it; the Streams processor keeps the same
 * records in stores instead. It is an accumulator: {@link #apply} updates it in place, so folding a batch of a
 * million events costs a million small steps, not a million copies.
 *
 * <p>It needs no set of applied ids: the records themselves make a re-sent event change nothing.
 */
public final class BatchAggregate {

    private final SortedMap<String, JobState> jobs = new TreeMap<>();
    private BatchState batch;

    /** Folds events in order. Invalid events must have been filtered out ({@link EventValidator}). */
    public static BatchAggregate fold(Iterable<ArgusEvent> events) {
        BatchAggregate aggregate = new BatchAggregate();
        for (ArgusEvent event : events) {
            aggregate.apply(event);
        }
        return aggregate;
    }

    public Effect apply(ArgusEvent event) {
        if (batch != null && !batch.getBatchId().equals(event.getBatchId())) {
            throw new IllegalArgumentException(
                "event of batch " + event.getBatchId() + " folded into batch " + batch.getBatchId());
        }
        Optional<String> jobId = JobIds.of(event);
        FoldResult result = BatchFold.apply(batch, jobId.map(jobs::get).orElse(null), event);
        batch = result.batch();
        result.job().ifPresent(job -> jobs.put(jobId.orElseThrow(), job));
        return result.effect();
    }

    /** The batch record; empty before any event. */
    public Optional<BatchState> batch() {
        return Optional.ofNullable(batch);
    }

    public Optional<JobState> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** All jobs by id, sorted; a read-only view. */
    public SortedMap<String, JobState> jobs() {
        return Collections.unmodifiableSortedMap(jobs);
    }
}
