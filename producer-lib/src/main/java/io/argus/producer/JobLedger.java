package io.argus.producer;

import io.argus.schemas.avro.BatchOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one Reporter knows of its batch's jobs: the latest attempt it started of each and how that ended, over the
 * backend's snapshot (when one was read). It hands out attempt numbers and says how the batch ended. Thread-safe.
 */
final class JobLedger {

    /** This process's latest attempt of one job and how it ended (RUNNING while its scope is open). */
    private static final class LocalJob {
        final int attempt;
        JobScope.State state = JobScope.State.RUNNING;

        LocalJob(int attempt) {
            this.attempt = attempt;
        }
    }

    private final Map<String, LocalJob> jobs = new HashMap<>();
    private BackendJobs backend;

    synchronized void backend(BackendJobs snapshot) {
        this.backend = snapshot;
    }

    synchronized Optional<BackendJobs> backend() {
        return Optional.ofNullable(backend);
    }

    /** The next attempt of a job this process has run, now claimed; empty when it has not run it. */
    synchronized OptionalInt claimNext(String jobId) {
        LocalJob local = jobs.get(jobId);
        return local == null ? OptionalInt.empty() : OptionalInt.of(claim(jobId, local.attempt + 1));
    }

    /** Claims {@code attempt} for a job new to this process (or the next one, if it started meanwhile). */
    synchronized int claimNew(String jobId, int attempt) {
        LocalJob local = jobs.get(jobId);
        return claim(jobId, local != null ? local.attempt + 1 : attempt);
    }

    synchronized void finished(String jobId, JobScope.State state) {
        jobs.get(jobId).state = state;
    }

    /** Done in the backend's snapshot or by this process. */
    synchronized Set<String> done() {
        Set<String> done = new TreeSet<>();
        if (backend != null) {
            backend.jobs().forEach((jobId, job) -> {
                if (job.done()) {
                    done.add(jobId);
                }
            });
        }
        jobs.forEach((jobId, job) -> {
            if (job.state == JobScope.State.DONE) {
                done.add(jobId);
            }
        });
        return done;
    }

    /** {@code failed} when some job's last attempt here failed, {@code done} when the plan is done, else none. */
    synchronized Optional<BatchOutcome> outcome(int planned) {
        if (jobs.values().stream().anyMatch(job -> job.state == JobScope.State.FAILED)) {
            return Optional.of(BatchOutcome.failed);
        }
        return done().size() >= planned ? Optional.of(BatchOutcome.done) : Optional.empty();
    }

    private int claim(String jobId, int attempt) {
        LocalJob local = jobs.get(jobId);
        if (local != null && local.state == JobScope.State.RUNNING) {
            throw new IllegalStateException("job " + jobId + " attempt " + local.attempt + " is still open: close its"
                + " scope before starting another attempt");
        }
        jobs.put(jobId, new LocalJob(attempt));
        return attempt;
    }
}
