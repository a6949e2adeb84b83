package io.argus.producer;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job until it is done or Argus says stop: each failed attempt is reported, then the query service is asked
 * for the restart decision, and a RESTART runs the next attempt. Never more attempts than the restart budget, even
 * when the decision is a default because the query service did not answer.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    public enum Status { DONE, STOPPED }

    /**
     * @param attempt     the last attempt run
     * @param decision    the decision that stopped the job (empty when done)
     * @param lastFailure what the last failed attempt threw (empty when done, or when it reported itself failed)
     */
    public record Result(String jobId, Status status, int attempt, Optional<Decision> decision,
                         Optional<Throwable> lastFailure) {
    }

    private final Reporter reporter;
    private final Duration decisionWait;

    /** @param decisionWait how long to wait for a decision after a failure before restarting by default */
    public JobRunner(Reporter reporter, Duration decisionWait) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.decisionWait = Objects.requireNonNull(decisionWait, "decisionWait");
    }

    /** Runs attempts of the job; errors ({@link Error}) are reported and rethrown, never restarted. */
    public Result run(String jobId, Map<String, String> params, JobBody body) {
        while (true) {
            JobScope job = reporter.job(jobId, params);
            Optional<Throwable> failure = attempt(job, body);
            if (job.state() == JobScope.State.DONE) {
                return new Result(jobId, Status.DONE, job.attempt(), Optional.empty(), Optional.empty());
            }
            Decision decision = reporter.decide(jobId, job.attempt(), decisionWait);
            if (!decision.restart()) {
                LOG.info("Job {} attempt {} failed; stopping it: {}", jobId, job.attempt(), decision.reason());
                return new Result(jobId, Status.STOPPED, job.attempt(), Optional.of(decision), failure);
            }
            if (job.attempt() >= reporter.restartBudget()) {
                Decision spent = new Decision(Decision.Verdict.STOP, "restart budget spent: attempt " + job.attempt()
                    + " of " + reporter.restartBudget(), decision.defaulted(), job.attempt(), reporter.restartBudget());
                LOG.info("Job {} attempt {} failed; stopping it: {}", jobId, job.attempt(), spent.reason());
                return new Result(jobId, Status.STOPPED, job.attempt(), Optional.of(spent), failure);
            }
            LOG.info("Job {} attempt {} failed; restarting it as attempt {}: {}", jobId, job.attempt(),
                job.attempt() + 1, decision.reason());
        }
    }

    /** One attempt in its scope; the exception it ended with, if any. Caught inside the scope, before close(). */
    private static Optional<Throwable> attempt(JobScope job, JobBody body) {
        try (job) {
            try {
                body.run(job);
                if (!job.finished()) {
                    job.done(Map.of());
                }
                return Optional.empty();
            } catch (Exception e) {
                if (!job.finished()) {
                    job.failed(e);
                }
                return Optional.of(e);
            } catch (Error e) {
                if (!job.finished()) {
                    job.failed(e);
                }
                throw e;
            }
        }
    }
}
