package io.argus.streams.fold;

import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.StopRequested;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.Launch;
import io.argus.streams.state.LaunchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The resume rules (1 to 5) and the batch half of rule 13, applied to a private copy of the batch record. */
final class BatchRules {

    /** The restart budget when a batch_start does not give one. */
    static final int DEFAULT_MAX_RESTARTS = 3;

    private BatchRules() {
    }

    /** Rule 5: a batch known only from events that came before its start. */
    static BatchState unknownBatch(String batchId) {
        // The schema's defaults through the constructor, not the builder: the builder copies every default value,
        // and copying the status makes Avro look its enum class up, which needs a process-wide trust setting that
        // the pure fold must not depend on.
        return new BatchState(batchId, BatchStatus.unknown, null, null, null, null, null, DEFAULT_MAX_RESTARTS,
            Map.of(), null, null, 0, 0, null, null, null, null, false, null, null, null, 0, 0, 0, List.of(),
            List.of(), 0L);
    }

    /**
     * Rules 1 to 3. Each start is applied once: its event id is kept in the batch's launches.
     *
     * @param quietSince the time of the batch's latest event before this one (null: none), kept with a resume
     */
    static Effect onStart(BatchState batch, BatchStart start, String eventId, long ts, Long quietSince) {
        if (batch.getLaunches().stream().anyMatch(launch -> launch.getEventId().equals(eventId))) {
            return Effect.DUPLICATE;
        }
        if (batch.getStartTime() == null) {
            // Rule 1, or rule 5's start arriving after other events: keep what is known, e.g. a status from batch_done.
            refresh(batch, start);
            batch.setStartTime(ts);
            if (batch.getStatus() == BatchStatus.unknown) {
                batch.setStatus(BatchStatus.running);
            }
            addLaunch(batch, new Launch(eventId, ts, LaunchOutcome.started, null));
            return Effect.APPLIED;
        }
        if (batch.getStatus() == BatchStatus.done) {
            // Rule 3: done is final; the relaunch is remembered so the view can say it was ignored.
            batch.setIgnoredRelaunches(batch.getIgnoredRelaunches() + 1);
            batch.setLastIgnoredRelaunchAt(Timestamps.latest(batch.getLastIgnoredRelaunchAt(), ts));
            addLaunch(batch, new Launch(eventId, ts, LaunchOutcome.ignored, null));
            return Effect.IGNORED;
        }
        // Rule 2: a resume. A new launch is the user's decision to run again, so an earlier stop request is lifted.
        refresh(batch, start);
        batch.setStatus(BatchStatus.running);
        batch.setResumeCount(batch.getResumeCount() + 1);
        batch.setLastResumedAt(Timestamps.latest(batch.getLastResumedAt(), ts));
        batch.setStopping(false);
        addLaunch(batch, new Launch(eventId, ts, LaunchOutcome.resumed, quietSince));
        return Effect.APPLIED;
    }

    /** Rule 4: only done is final. */
    static Effect onDone(BatchState batch, BatchDone done, String eventId, long ts) {
        if (!markApplied(batch, eventId)) {
            return Effect.DUPLICATE;
        }
        if (batch.getStatus() == BatchStatus.done) {
            return Effect.IGNORED;
        }
        batch.setStatus(BatchStatus.valueOf(done.getStatus().name()));
        batch.setFinishedAt(ts);
        return Effect.APPLIED;
    }

    /** Rule 13: the batch is stopping; decisions for its jobs are STOP from now on. The first request is kept. */
    static Effect onStopRequested(BatchState batch, StopRequested stop, String eventId, long ts) {
        if (!markApplied(batch, eventId)) {
            return Effect.DUPLICATE;
        }
        if (batch.getStopping()) {
            return Effect.IGNORED;
        }
        batch.setStopping(true);
        batch.setStopReason(Limits.text(stop.getReason(), Limits.MESSAGE_CHARS));
        batch.setStopRequestedBy(Limits.text(stop.getRequestedBy(), Limits.SHORT_TEXT_CHARS));
        batch.setStopRequestedAt(ts);
        return Effect.APPLIED;
    }

    private static void refresh(BatchState batch, BatchStart start) {
        batch.setSourceProject(start.getSourceProject());
        batch.setExperimentType(start.getExperimentType());
        batch.setCommand(Limits.text(start.getCommand(), Limits.COMMAND_CHARS));
        batch.setGitSha(start.getGitSha());
        batch.setNTotal(start.getNTotal());
        batch.setMaxRestarts(start.getMaxRestarts() == null ? DEFAULT_MAX_RESTARTS : start.getMaxRestarts());
        // Sorted, so the stored bytes do not depend on a hash map's iteration order.
        batch.setLabels(new TreeMap<>(start.getLabels()));
    }

    /** The first launch (the batch's origin) and the newest ones stay; a middle one goes when over the cap. */
    private static void addLaunch(BatchState batch, Launch launch) {
        List<Launch> launches = new ArrayList<>(batch.getLaunches());
        launches.add(launch);
        if (launches.size() > Limits.LAUNCHES_KEPT) {
            launches.remove(1);
        }
        batch.setLaunches(launches);
    }

    /** Remembers a batch-level event id (the newest ones); false when it was applied before. */
    private static boolean markApplied(BatchState batch, String eventId) {
        if (batch.getAppliedEventIds().contains(eventId)) {
            return false;
        }
        List<String> ids = new ArrayList<>(batch.getAppliedEventIds());
        ids.add(eventId);
        if (ids.size() > Limits.BATCH_EVENT_IDS_KEPT) {
            ids.remove(0);
        }
        batch.setAppliedEventIds(ids);
        return true;
    }
}
