package io.argus.streams.fold;

import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.Decision;
import io.argus.streams.state.Failure;
import io.argus.streams.state.HistoryEntry;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The job rules (6 to 10) and the recording half of rules 11 and 12, applied to private copies of one job and its
 * batch. The batch's job counts move only when a job's status changes, never per event.
 */
final class JobRules {

    private final BatchState batch;
    private final String eventId;
    private final long ts;
    private JobState job;

    JobRules(BatchState batch, JobState job, String eventId, long ts) {
        this.batch = batch;
        this.job = job;
        this.eventId = eventId;
        this.ts = ts;
    }

    Optional<JobState> job() {
        return Optional.ofNullable(job);
    }

    /** Rule 6. */
    Effect onStart(JobStart start) {
        int attempt = start.getAttempt();
        if (job == null) {
            create(start.getJobId(), attempt, JobStatus.running);
            job.setParams(sorted(start.getParams()));
            job.setStartedAt(ts);
            return Effect.APPLIED;
        }
        if (job.getStatus() == JobStatus.done) {
            return recordInHistory("job_start", attempt, "ignored: the job is done", Effect.IGNORED);
        }
        if (attempt < job.getAttempt()) {
            return recordStale("job_start", attempt);
        }
        if (attempt > job.getAttempt()) {
            beginAttempt(attempt);
            job.setParams(sorted(start.getParams()));
            job.setStartedAt(ts);
            return Effect.APPLIED;
        }
        // The same attempt: fill in what an earlier out-of-order event could not know, change nothing else.
        if (job.getStartedAt() != null) {
            return Effect.DUPLICATE;
        }
        job.setParams(sorted(start.getParams()));
        job.setStartedAt(ts);
        return Effect.APPLIED;
    }

    /** Rule 10: the latest step and metrics of the current attempt; a lower or equal step changes nothing. */
    Effect onProgress(JobProgress progress) {
        int attempt = progress.getAttempt();
        if (job == null) {
            create(progress.getJobId(), attempt, JobStatus.running);
        } else if (job.getStatus() == JobStatus.done) {
            return Effect.IGNORED;
        } else if (attempt < job.getAttempt()) {
            // One entry per stale attempt: a zombie process can send thousands of these.
            boolean known = job.getHistory().stream()
                .anyMatch(h -> h.getType().equals("job_progress") && h.getAttempt() == attempt);
            return known ? Effect.STALE : recordStale("job_progress", attempt);
        } else if (attempt > job.getAttempt()) {
            beginAttempt(attempt);
        } else if (job.getStep() != null && progress.getStep() <= job.getStep()) {
            return Effect.DUPLICATE;
        }
        job.setStep(progress.getStep());
        job.setProgressMetrics(sorted(progress.getMetrics()));
        return Effect.APPLIED;
    }

    /** Rule 7, the incremental checkpoint: the result is in the view as soon as the event is in the log. */
    Effect onDone(JobDone done) {
        int attempt = done.getAttempt();
        if (job == null) {
            create(done.getJobId(), attempt, JobStatus.done);
        } else if (job.getStatus() == JobStatus.done) {
            return Effect.DUPLICATE;
        } else if (attempt < job.getAttempt()) {
            return recordStale("job_done", attempt);
        } else {
            job.setAttempt(attempt);
            moveTo(JobStatus.done);
        }
        job.setMetrics(sorted(done.getMetrics()));
        job.setResult(done.getResult());
        job.setOutputUri(done.getOutputUri());
        job.setFinishedAt(ts);
        return Effect.APPLIED;
    }

    /** Rule 9: the ranks reporting one attempt's failure merge into one failure record; counts move once. */
    Effect onFailed(JobFailed failed) {
        int attempt = failed.getAttempt();
        if (job == null) {
            create(failed.getJobId(), attempt, JobStatus.failed);
        } else if (job.getStatus() == JobStatus.done) {
            return recordInHistory("job_failed", attempt, "ignored: the job is done", Effect.IGNORED);
        } else if (attempt < job.getAttempt()) {
            return recordStale("job_failed", attempt);
        } else {
            job.setAttempt(attempt);
            moveTo(JobStatus.failed);
        }
        return mergeFailure(failed);
    }

    /**
     * Rules 11 and 12, recording side: the first attribution of an attempt that is still the job's latest decides
     * it; one that arrives after the job moved on (or finished) is kept as late and never applied.
     */
    Effect onAttribution(Attribution attribution) {
        int attempt = attribution.getAttempt();
        if (job == null) {
            // Attributions answer failures: the failure report has not arrived yet but it will say the same.
            create(attribution.getJobId(), attempt, JobStatus.failed);
        }
        if (job.getDecisions().stream().anyMatch(d -> d.getEventId().equals(eventId))) {
            return Effect.DUPLICATE;
        }
        boolean late = attempt < job.getAttempt() || job.getStatus() == JobStatus.done;
        if (!late && job.getDecisions().stream().anyMatch(d -> d.getAttempt() == attempt && !d.getLate())) {
            return recordInHistory("attribution", attempt, "ignored: attempt " + attempt + " is already decided",
                Effect.IGNORED);
        }
        List<Decision> decisions = new ArrayList<>(job.getDecisions());
        decisions.add(new Decision(attempt, attribution.getVerdict().name(), attribution.getSource(),
            attribution.getReason(), late, eventId, ts));
        job.setDecisions(decisions);
        return late ? Effect.STALE : Effect.APPLIED;
    }

    private Effect mergeFailure(JobFailed failed) {
        List<Failure> failures = new ArrayList<>(job.getFailures());
        Optional<Failure> existing = failures.stream().filter(f -> f.getAttempt() == failed.getAttempt()).findFirst();
        if (existing.isPresent() && existing.get().getReportEventIds().contains(eventId)) {
            return Effect.DUPLICATE;
        }
        // The failure is a nested record of the input: change a copy of it, in its place in the new list.
        Failure failure = existing.map(found -> {
            Failure copy = Failure.newBuilder(found).build();
            failures.set(failures.indexOf(found), copy);
            return copy;
        }).orElseGet(() -> {
            Failure first = new Failure(failed.getAttempt(), List.of(), List.of(), failed.getErrorType(),
                failed.getMessage(), ts);
            failures.add(first);
            return first;
        });
        List<String> reports = new ArrayList<>(failure.getReportEventIds());
        reports.add(eventId);
        failure.setReportEventIds(reports);
        if (failed.getRank() != null) {
            TreeSet<Integer> ranks = new TreeSet<>(failure.getRanks());
            ranks.add(failed.getRank());
            failure.setRanks(new ArrayList<>(ranks));
        }
        job.setFailures(failures);
        return Effect.APPLIED;
    }

    private void create(String jobId, int attempt, JobStatus status) {
        job = JobState.newBuilder().setJobId(jobId).setAttempt(attempt).setStatus(status).build();
        count(status, +1);
    }

    /** A new attempt starts from scratch: its progress and finish time belong to the old attempt. */
    private void beginAttempt(int attempt) {
        job.setAttempt(attempt);
        job.setStartedAt(null);
        job.setFinishedAt(null);
        job.setStep(null);
        job.setProgressMetrics(new TreeMap<>());
        moveTo(JobStatus.running);
    }

    private void moveTo(JobStatus status) {
        if (job.getStatus() != status) {
            count(job.getStatus(), -1);
            count(status, +1);
            job.setStatus(status);
        }
    }

    private void count(JobStatus status, int delta) {
        switch (status) {
            case running -> batch.setJobsRunning(batch.getJobsRunning() + delta);
            case done -> batch.setJobsDone(batch.getJobsDone() + delta);
            case failed -> batch.setJobsFailed(batch.getJobsFailed() + delta);
            default -> throw new IllegalStateException("unknown job status " + status);
        }
    }

    /** Rule 8. */
    private Effect recordStale(String type, int attempt) {
        return recordInHistory(type, attempt, "stale: attempt " + attempt + " is older than " + job.getAttempt(),
            Effect.STALE);
    }

    private Effect recordInHistory(String type, int attempt, String note, Effect effect) {
        if (job.getHistory().stream().anyMatch(h -> h.getEventId().equals(eventId))) {
            return Effect.DUPLICATE;
        }
        List<HistoryEntry> history = new ArrayList<>(job.getHistory());
        history.add(new HistoryEntry(eventId, ts, type, attempt, note));
        job.setHistory(history);
        return effect;
    }

    private static <V> Map<String, V> sorted(Map<String, V> values) {
        return new TreeMap<>(values);
    }
}
