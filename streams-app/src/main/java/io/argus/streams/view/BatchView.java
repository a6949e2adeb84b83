package io.argus.streams.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.argus.streams.state.BatchState;
import java.util.Map;

/**
 * The batch as users and launchers see it: what {@code argus.batch-views} carries and what the HTTP API answers.
 * Times are ISO-8601 UTC. {@code stalled} is time-dependent, so it is absent here and added at query time.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchView(
    String batchId,
    String status,
    String sourceProject,
    String experimentType,
    String command,
    String gitSha,
    Integer nTotal,
    int maxRestarts,
    Map<String, String> labels,
    String startTime,
    String lastResumedAt,
    int resumeCount,
    int ignoredRelaunches,
    String lastIgnoredRelaunchAt,
    String finishedAt,
    String lastEventTs,
    String lastSeen,
    boolean stopping,
    String stopReason,
    String stopRequestedBy,
    JobCounts jobCounts,
    Double progress) {

    /** Jobs by status; pending are the planned jobs not seen yet (n_total minus every job seen, never below 0). */
    public record JobCounts(int pending, int running, int done, int failed) {
    }

    public static BatchView of(BatchState batch) {
        int seen = batch.getJobsRunning() + batch.getJobsDone() + batch.getJobsFailed();
        Integer total = batch.getNTotal();
        int pending = total == null ? 0 : Math.max(0, total - seen);
        Double progress = total == null || total == 0 ? null : Math.min(1.0, batch.getJobsDone() / (double) total);
        return new BatchView(batch.getBatchId(), batch.getStatus().name(), batch.getSourceProject(),
            batch.getExperimentType(), batch.getCommand(), batch.getGitSha(), total, batch.getMaxRestarts(),
            batch.getLabels(), iso(batch.getStartTime()), iso(batch.getLastResumedAt()), batch.getResumeCount(),
            batch.getIgnoredRelaunches(), iso(batch.getLastIgnoredRelaunchAt()), iso(batch.getFinishedAt()),
            iso(batch.getLastEventTs()), iso(batch.getLastSeen()), batch.getStopping(), batch.getStopReason(),
            batch.getStopRequestedBy(),
            new JobCounts(pending, batch.getJobsRunning(), batch.getJobsDone(), batch.getJobsFailed()), progress);
    }

    /** ISO-8601 UTC text of epoch millis; null stays null. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? null : IsoTime.of(epochMillis);
    }
}
