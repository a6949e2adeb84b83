package io.argus.streams.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.argus.streams.state.AttemptOutcome;
import io.argus.streams.state.Failure;
import io.argus.streams.state.JobState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job as the API shows it. The detail form adds the failure, decision and history records; the list form leaves
 * them out, so a list of 100,000 jobs stays small.
 */
public record JobView(
    String jobId,
    String status,
    Map<String, String> params,
    int attempt,
    String startedAt,
    String finishedAt,
    Long step,
    Map<String, Double> progressMetrics,
    Map<String, Double> metrics,
    String result,
    String outputUri,
    LastError lastError,
    List<AttemptView> attempts,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<FailureView> failures,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<DecisionView> decisions,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryView> history) {

    public record LastError(String errorType, String message) {
    }

    /**
     * One of the latest attempts: when it started (null when its start was not applied or not seen), when and how
     * it first ended (null while open), and for a failure its error type.
     */
    public record AttemptView(int attempt, String startedAt, String endedAt, String outcome, String errorType) {
    }

    /** One failure of one attempt, merged over the ranks that reported it. */
    public record FailureView(int attempt, int reportCount, List<Integer> ranks, String errorType, String message,
                              String firstReportedAt) {
    }

    /** An attribution for one attempt; a late one was kept but never applied. */
    public record DecisionView(int attempt, String verdict, String source, String reason, boolean late, String at) {
    }

    /** An event that reached the job but was not applied (stale or ignored). */
    public record HistoryView(String eventId, String ts, String type, int attempt, String note) {
    }

    /** The list form: no failures, decisions or history. */
    public static JobView summary(JobState job) {
        return of(job, false);
    }

    /** The detail form, with failures, decisions and history. */
    public static JobView detail(JobState job) {
        return of(job, true);
    }

    private static JobView of(JobState job, boolean detail) {
        return new JobView(job.getJobId(), job.getStatus().name(), job.getParams(), job.getAttempt(),
            BatchView.iso(job.getStartedAt()), BatchView.iso(job.getFinishedAt()), job.getStep(),
            job.getProgressMetrics(), job.getMetrics(), job.getResult(), job.getOutputUri(), lastError(job).orElse(null),
            attempts(job),
            detail ? job.getFailures().stream().map(JobView::failure).toList() : null,
            detail ? job.getDecisions().stream().map(d -> new DecisionView(d.getAttempt(), d.getVerdict(),
                d.getSource(), d.getReason(), d.getLate(), BatchView.iso(d.getTs()))).toList() : null,
            detail ? job.getHistory().stream().map(h -> new HistoryView(h.getEventId(), BatchView.iso(h.getTs()),
                h.getType(), h.getAttempt(), h.getNote())).toList() : null);
    }

    private static List<AttemptView> attempts(JobState job) {
        return job.getAttemptMarks().stream().map(marks -> new AttemptView(marks.getAttempt(),
            BatchView.iso(marks.getStartedAt()), BatchView.iso(marks.getEndedAt()),
            marks.getOutcome() == null ? null : marks.getOutcome().name(),
            marks.getOutcome() == AttemptOutcome.failed ? errorTypeOf(job, marks.getAttempt()) : null)).toList();
    }

    private static String errorTypeOf(JobState job, int attempt) {
        return job.getFailures().stream().filter(f -> f.getAttempt() == attempt).findFirst()
            .map(Failure::getErrorType).orElse(null);
    }

    /** The failure of the highest attempt, if the job ever failed. */
    private static Optional<LastError> lastError(JobState job) {
        return job.getFailures().stream()
            .max(Comparator.comparingInt(Failure::getAttempt))
            .map(f -> new LastError(f.getErrorType(), f.getMessage()));
    }

    private static FailureView failure(Failure failure) {
        // One report per rank, plus the rank-less ones, which are kept by id.
        return new FailureView(failure.getAttempt(), failure.getRanks().size() + failure.getReportEventIds().size(),
            failure.getRanks(),
            failure.getErrorType(), failure.getMessage(), BatchView.iso(failure.getFirstReportedAt()));
    }
}
