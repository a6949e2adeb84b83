package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.StopRequested;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.util.Objects;
import java.util.Optional;

/**
 * The fold: a pure function from (batch record, the job the event names, event) to the new records. No I/O, no
 * clock, no mutation of its inputs; the Streams processor, replay, time travel and the tests all use it.
 *
 * <p>The rules work on private copies of the records and replace, never change in place, any list, map or nested
 * record of them: that is what keeps the inputs untouched while the copies stay shallow.
 *
 * <p>An event touches the batch record and at most one job, so folding costs the same for a batch of 10 jobs as
 * for one of 100,000. Events are validated before they get here ({@link EventValidator}); applying cannot fail.
 *
 * <p>Idempotent without a set of seen ids: the records keep what each rule needs to know a re-sent event
 * (streams-app/README.md, "Idempotency"), and a re-sent event comes back {@link Effect#DUPLICATE} with nothing
 * changed. The result says which records changed, so callers never compare records deeply.
 */
public final class BatchFold {

    private BatchFold() {
    }

    /**
     * Applies one valid event.
     *
     * @param batch the batch record, or null when the batch has not been seen
     * @param job   for a job event, that job's record, or null when the job has not been seen; ignored otherwise
     */
    public static FoldResult apply(BatchState batch, JobState job, ArgusEvent event) {
        BatchState next = batch == null ? BatchRules.unknownBatch(event.getBatchId()) : copy(batch);
        long ts = event.getTs().toEpochMilli();
        Long lastEventTs = next.getLastEventTs();
        next.setLastEventTs(Timestamps.latest(lastEventTs, ts));
        String eventId = event.getEventId();

        Object payload = event.getPayload();
        Optional<JobState> nextJob = Optional.empty();
        Effect effect;
        if (payload instanceof BatchStart start) {
            effect = BatchRules.onStart(next, start, eventId, ts, lastEventTs);
        } else if (payload instanceof BatchDone done) {
            effect = BatchRules.onDone(next, done, eventId, ts);
        } else if (payload instanceof StopRequested stop) {
            effect = BatchRules.onStopRequested(next, stop, eventId, ts);
        } else if (payload instanceof Heartbeat) {
            long lastSeen = Timestamps.latest(next.getLastSeen(), ts);
            effect = next.getLastSeen() != null && next.getLastSeen() == lastSeen ? Effect.DUPLICATE : Effect.APPLIED;
            next.setLastSeen(lastSeen);
        } else {
            JobRules rules = new JobRules(next, job == null ? null : copy(job), eventId, ts);
            effect = rules.isAncient(JobIds.attemptOf(event)) ? Effect.DUPLICATE : applyJobEvent(rules, payload);
            nextJob = rules.job();
        }
        // Every event but a duplicate takes a place in the batch's history, so the batch changes with it.
        if (effect != Effect.DUPLICATE) {
            next.setHistorySize(next.getHistorySize() + 1);
        }
        boolean batchChanged = batch == null || effect != Effect.DUPLICATE
            || !Objects.equals(lastEventTs, next.getLastEventTs());
        boolean jobChanged = nextJob.isPresent() && effect != Effect.DUPLICATE;
        return new FoldResult(next, nextJob, effect, batchChanged, jobChanged);
    }

    private static Effect applyJobEvent(JobRules rules, Object payload) {
        if (payload instanceof JobStart start) {
            return rules.onStart(start);
        } else if (payload instanceof JobProgress progress) {
            return rules.onProgress(progress);
        } else if (payload instanceof JobDone done) {
            return rules.onDone(done);
        } else if (payload instanceof JobFailed failed) {
            return rules.onFailed(failed);
        } else if (payload instanceof Attribution attribution) {
            return rules.onAttribution(attribution);
        }
        throw new IllegalArgumentException("not a validated Argus event: payload " + payload);
    }

    private static BatchState copy(BatchState batch) {
        return Records.shallowCopy(batch, new BatchState());
    }

    private static JobState copy(JobState job) {
        return Records.shallowCopy(job, new JobState());
    }
}
