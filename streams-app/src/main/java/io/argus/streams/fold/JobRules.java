package io.argus.streams.fold;

import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.streams.state.AttemptMarks;
import io.argus.streams.state.AttemptOutcome;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.Decision;
import io.argus.streams.state.Failure;
import io.argus.streams.state.HistoryEntry;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

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

    /**
     * An event of an attempt more than {@link Limits#ATTEMPTS_KEPT} behind the job's current one: the job no longer
     * keeps what that attempt saw, and such an event changes nothing (counted as a duplicate).
     */
    boolean isAncient(int attempt) {
        return job != null && attempt <= job.getAttempt() - Limits.ATTEMPTS_KEPT;
    }

    /**
     * Rule 6. An attempt starts once: a start of an attempt whose start was seen (re-sent, or sent again by another
     * rank) is the same fact and changes nothing, whenever it arrives.
     */
    Effect onStart(JobStart start) {
        int attempt = start.getAttempt();
        if (job != null && marksOf(attempt).map(AttemptMarks::getStartEventId).isPresent()) {
            return Effect.DUPLICATE;
        }
        if (job == null) {
            create(start.getJobId(), attempt, JobStatus.running);
            job.setParams(sorted(start.getParams()));
            job.setStartedAt(ts);
            markStarted(attempt);
            return Effect.APPLIED;
        }
        if (job.getStatus() == JobStatus.done) {
            markStart(attempt);
            return recordInHistory("job_start", attempt, "ignored: the job is done", Effect.IGNORED);
        }
        if (attempt < job.getAttempt()) {
            markStart(attempt);
            return recordStale("job_start", attempt);
        }
        if (attempt > job.getAttempt()) {
            beginAttempt(attempt);
            job.setParams(sorted(start.getParams()));
            job.setStartedAt(ts);
            markStarted(attempt);
            return Effect.APPLIED;
        }
        // The same attempt, started by an earlier out-of-order event: fill in what that one could not know.
        job.setParams(sorted(start.getParams()));
        job.setStartedAt(ts);
        markStarted(attempt);
        return Effect.APPLIED;
    }

    /**
     * Rule 10: the latest step and metrics of the current attempt. A step at or below the highest one seen for its
     * attempt (applied or not) is the same fact again and changes nothing, so progress never grows the record.
     */
    Effect onProgress(JobProgress progress) {
        int attempt = progress.getAttempt();
        long step = progress.getStep();
        if (job != null && highestStep(attempt).filter(highest -> step <= highest).isPresent()) {
            return Effect.DUPLICATE;
        }
        if (job == null) {
            create(progress.getJobId(), attempt, JobStatus.running);
        } else if (job.getStatus() == JobStatus.done) {
            markStep(attempt, step);
            return Effect.IGNORED;
        } else if (attempt < job.getAttempt()) {
            markStep(attempt, step);
            // One history entry per stale attempt: a zombie process can send thousands of these.
            recordStale("job_progress", attempt);
            return Effect.STALE;
        } else if (attempt > job.getAttempt()) {
            beginAttempt(attempt);
        }
        job.setStep(step);
        job.setProgressMetrics(sorted(progress.getMetrics()));
        return Effect.APPLIED;
    }

    /**
     * Rule 7, the incremental checkpoint: the result is in the view as soon as the event is in the log. An attempt
     * finishes once: a second job_done of it changes nothing.
     */
    Effect onDone(JobDone done) {
        int attempt = done.getAttempt();
        if (job != null && marksOf(attempt).map(AttemptMarks::getDoneEventId).isPresent()) {
            return Effect.DUPLICATE;
        }
        if (job == null) {
            create(done.getJobId(), attempt, JobStatus.done);
        } else if (job.getStatus() == JobStatus.done) {
            return Effect.DUPLICATE;
        } else if (attempt < job.getAttempt()) {
            markDone(attempt);
            return recordStale("job_done", attempt);
        } else {
            moveToAttempt(attempt);
            moveTo(JobStatus.done);
        }
        markDone(attempt);
        job.setMetrics(sorted(done.getMetrics()));
        job.setResult(done.getResult());
        job.setOutputUri(done.getOutputUri());
        job.setFinishedAt(ts);
        return Effect.APPLIED;
    }

    /**
     * Rule 9: the ranks reporting one attempt's failure merge into one failure record; counts move once. A report
     * the failure already holds (its id, or its rank) is checked first, so a re-sent one changes nothing even after
     * the job moved on to a later attempt.
     */
    Effect onFailed(JobFailed failed) {
        int attempt = failed.getAttempt();
        if (job != null && failureOf(attempt).filter(f -> !adds(f, failed.getRank())).isPresent()) {
            return Effect.DUPLICATE;
        }
        if (job == null) {
            create(failed.getJobId(), attempt, JobStatus.failed);
        } else if (job.getStatus() == JobStatus.done) {
            return recordInHistory("job_failed", attempt, "ignored: the job is done", Effect.IGNORED);
        } else if (attempt < job.getAttempt()) {
            markEnded(attempt, AttemptOutcome.failed);
            return recordStale("job_failed", attempt);
        } else {
            moveToAttempt(attempt);
            moveTo(JobStatus.failed);
        }
        markEnded(attempt, AttemptOutcome.failed);
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
        // Kept as a decision, or ignored as an answer to a decided attempt: either way this event was seen. Once
        // one answer to the attempt was ignored, every further one is the same, whatever the job does next.
        if (job.getDecisions().stream().anyMatch(d -> d.getEventId().equals(eventId))
            || job.getHistory().stream().anyMatch(h -> h.getEventId().equals(eventId)
                || h.getType().equals("attribution") && h.getAttempt() == attempt)) {
            return Effect.DUPLICATE;
        }
        boolean late = attempt < job.getAttempt() || job.getStatus() == JobStatus.done;
        if (!late && job.getDecisions().stream().anyMatch(d -> d.getAttempt() == attempt && !d.getLate())) {
            return recordInHistory("attribution", attempt, "ignored: attempt " + attempt + " is already decided",
                Effect.IGNORED);
        }
        if (late && job.getDecisions().stream().anyMatch(d -> d.getAttempt() == attempt && d.getLate())) {
            return Effect.DUPLICATE; // one late attribution per attempt is kept; another says the same
        }
        List<Decision> decisions = new ArrayList<>(job.getDecisions());
        decisions.add(new Decision(attempt, attribution.getVerdict().name(),
            Limits.text(attribution.getSource(), Limits.SHORT_TEXT_CHARS),
            Limits.text(attribution.getReason(), Limits.MESSAGE_CHARS), late, eventId, ts));
        job.setDecisions(decisions);
        return late ? Effect.STALE : Effect.APPLIED;
    }

    /** Whether a report from {@code rank} (null: none) would add to the failure: a new rank or a new id, below the caps. */
    private boolean adds(Failure failure, Integer rank) {
        if (failure.getReportEventIds().contains(eventId)) {
            return false;
        }
        return rank == null
            ? failure.getReportEventIds().size() < Limits.REPORT_IDS_KEPT
            : !failure.getRanks().contains(rank) && failure.getRanks().size() < Limits.RANKS_KEPT;
    }

    private Effect mergeFailure(JobFailed failed) {
        List<Failure> failures = new ArrayList<>(job.getFailures());
        Optional<Failure> existing = failureOf(failed.getAttempt());
        // The failure is a nested record of the input: change a copy of it, in its place in the new list.
        Failure failure = existing.map(found -> {
            Failure copy = Failure.newBuilder(found).build();
            failures.set(failures.indexOf(found), copy);
            return copy;
        }).orElseGet(() -> {
            Failure first = new Failure(failed.getAttempt(), List.of(), List.of(),
                Limits.text(failed.getErrorType(), Limits.SHORT_TEXT_CHARS),
                Limits.text(failed.getMessage(), Limits.MESSAGE_CHARS), ts);
            failures.add(first);
            return first;
        });
        if (failed.getRank() == null) {
            List<String> reports = new ArrayList<>(failure.getReportEventIds());
            reports.add(eventId);
            failure.setReportEventIds(reports);
        } else {
            TreeSet<Integer> ranks = new TreeSet<>(failure.getRanks());
            ranks.add(failed.getRank());
            failure.setRanks(new ArrayList<>(ranks));
        }
        failures.sort(Comparator.comparingInt(Failure::getAttempt));
        job.setFailures(failures);
        return Effect.APPLIED;
    }

    private void create(String jobId, int attempt, JobStatus status) {
        // The constructor, not the builder: the builder copies every default value, once per new job.
        job = new JobState(jobId, status, attempt, Map.of(), null, null, null, Map.of(), Map.of(), null, null,
            List.of(), List.of(), List.of(), List.of());
        count(status, +1);
    }

    /** A new attempt starts from scratch: its progress and finish time belong to the old attempt. */
    private void beginAttempt(int attempt) {
        moveToAttempt(attempt);
        job.setStartedAt(null);
        job.setFinishedAt(null);
        job.setStep(null);
        job.setProgressMetrics(new TreeMap<>());
        moveTo(JobStatus.running);
    }

    /** Makes {@code attempt} the current one; the step of the attempt left behind goes into its marks. */
    private void moveToAttempt(int attempt) {
        if (attempt == job.getAttempt()) {
            return;
        }
        if (job.getStep() != null) {
            markStep(job.getAttempt(), job.getStep());
        }
        job.setAttempt(attempt);
        forgetAncientAttempts();
    }

    /** The highest step seen for the attempt: the job's own step for the current one, else the attempt's marks. */
    private Optional<Long> highestStep(int attempt) {
        Optional<Long> marked = marksOf(attempt).map(AttemptMarks::getMaxStep);
        if (attempt == job.getAttempt() && job.getStep() != null) {
            return Optional.of(marked.map(m -> Math.max(m, job.getStep())).orElse(job.getStep()));
        }
        return marked;
    }

    private Optional<AttemptMarks> marksOf(int attempt) {
        return job.getAttemptMarks().stream().filter(m -> m.getAttempt() == attempt).findFirst();
    }

    private Optional<Failure> failureOf(int attempt) {
        return job.getFailures().stream().filter(f -> f.getAttempt() == attempt).findFirst();
    }

    /** Keeps the first job_start id of the attempt. */
    private void markStart(int attempt) {
        mark(attempt, this::keepStartId);
    }

    /** An applied start: its id, and the start of the attempt's bar on the timeline. */
    private void markStarted(int attempt) {
        mark(attempt, m -> {
            keepStartId(m);
            m.setStartedAt(ts);
        });
    }

    private void keepStartId(AttemptMarks marks) {
        if (marks.getStartEventId() == null) {
            marks.setStartEventId(eventId);
        }
    }

    /** Keeps the first job_done id of the attempt; it ends the attempt unless a failure did first. */
    private void markDone(int attempt) {
        mark(attempt, m -> {
            if (m.getDoneEventId() == null) {
                m.setDoneEventId(eventId);
            }
            endOnce(m, AttemptOutcome.done);
        });
    }

    private void markEnded(int attempt, AttemptOutcome outcome) {
        mark(attempt, m -> endOnce(m, outcome));
    }

    /** The first end of an attempt is its end: a later report (another rank, a done after a failure) keeps it. */
    private void endOnce(AttemptMarks marks, AttemptOutcome outcome) {
        if (marks.getEndedAt() == null) {
            marks.setEndedAt(ts);
            marks.setOutcome(outcome);
        }
    }

    private void markStep(int attempt, long step) {
        mark(attempt, m -> m.setMaxStep(m.getMaxStep() == null ? step : Math.max(m.getMaxStep(), step)));
    }

    /** Changes a copy of the attempt's marks (new ones when it has none), in a new list sorted by attempt. */
    private void mark(int attempt, Consumer<AttemptMarks> change) {
        List<AttemptMarks> marks = new ArrayList<>(job.getAttemptMarks());
        Optional<AttemptMarks> existing = marksOf(attempt);
        AttemptMarks changed = existing.map(found -> new AttemptMarks(found.getAttempt(), found.getStartEventId(),
                found.getDoneEventId(), found.getMaxStep(), found.getStartedAt(), found.getEndedAt(),
                found.getOutcome()))
            .orElseGet(() -> new AttemptMarks(attempt, null, null, null, null, null, null));
        change.accept(changed);
        existing.ifPresentOrElse(found -> marks.set(marks.indexOf(found), changed), () -> marks.add(changed));
        marks.sort(Comparator.comparingInt(AttemptMarks::getAttempt));
        job.setAttemptMarks(marks);
    }

    /** What the job keeps per attempt, without the attempts that fell out of the window. */
    private void forgetAncientAttempts() {
        int oldestKept = job.getAttempt() - Limits.ATTEMPTS_KEPT + 1;
        job.setAttemptMarks(kept(job.getAttemptMarks(), AttemptMarks::getAttempt, oldestKept));
        job.setFailures(kept(job.getFailures(), Failure::getAttempt, oldestKept));
        job.setDecisions(kept(job.getDecisions(), Decision::getAttempt, oldestKept));
        job.setHistory(kept(job.getHistory(), HistoryEntry::getAttempt, oldestKept));
    }

    private static <T> List<T> kept(List<T> perAttempt, ToIntFunction<T> attempt, int oldestKept) {
        return perAttempt.stream().allMatch(entry -> attempt.applyAsInt(entry) >= oldestKept) ? perAttempt
            : perAttempt.stream().filter(entry -> attempt.applyAsInt(entry) >= oldestKept).toList();
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

    /**
     * Records an event that was not applied, once per type and attempt: another one of the same type and attempt
     * says the same (a zombie rank repeating itself) and changes nothing.
     */
    private Effect recordInHistory(String type, int attempt, String note, Effect effect) {
        if (job.getHistory().stream().anyMatch(h -> h.getType().equals(type) && h.getAttempt() == attempt)) {
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
