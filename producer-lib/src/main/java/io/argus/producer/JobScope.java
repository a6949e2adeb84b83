package io.argus.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one job, from its job_start (published when the scope opens) to its job_done or job_failed.
 *
 * <p>{@code close()} cannot see an exception that is leaving the try block, so report a failure with
 * {@link #failed(Throwable)} from a catch block inside it, or let {@link Reporter#run} do it. A scope closed without
 * either outcome reports a failure of type {@value #UNREPORTED}, so the backend never believes a job still runs.
 * <pre>{@code
 * try (JobScope job = reporter.job("dam/lstm", params)) {
 *     try {
 *         job.done(train(job));
 *     } catch (Exception e) {
 *         job.failed(e);
 *         throw e;
 *     }
 * }
 * }</pre>
 */
public final class JobScope implements AutoCloseable {

    public static final String UNREPORTED = "Unreported";

    private static final Logger LOG = LoggerFactory.getLogger(JobScope.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 4000;

    enum State { RUNNING, DONE, FAILED }

    private final Reporter reporter;
    private final String jobId;
    private final int attempt;
    private State state = State.RUNNING;

    JobScope(Reporter reporter, String jobId, int attempt) {
        this.reporter = reporter;
        this.jobId = jobId;
        this.attempt = attempt;
    }

    public String jobId() {
        return jobId;
    }

    /** 1 for the first run of the job, then one more per restart (continuing the backend's count on a resume). */
    public int attempt() {
        return attempt;
    }

    /** Sent in the background; the backend keeps the highest step of the current attempt. */
    public void progress(long step, Map<String, Double> metrics) {
        Map<String, Double> copy = metrics(metrics);
        synchronized (this) {
            ensureRunning("progress");
        }
        reporter.publish(new JobProgress(jobId, attempt, step, copy));
    }

    /** Same as {@link #done(Map, String)} without a result document. */
    public void done(Map<String, Double> metrics) {
        done(metrics, null);
    }

    /**
     * Reports the job done. Returns once its job_done is acknowledged by the backend or written and synced to the
     * local spool, so a crash right after this call cannot lose the result.
     *
     * @param resultJson an optional JSON document kept with the job (null for none)
     * @throws SpoolFullException when the backend is unreachable and the spool has no room left
     */
    public void done(Map<String, Double> metrics, String resultJson) {
        Map<String, Double> copy = metrics(metrics);
        if (resultJson != null) {
            requireJson(resultJson);
        }
        synchronized (this) {
            ensureRunning("done");
            // The state changes only once the event is safe: after a SpoolFullException the job can still fail.
            reporter.publishDurably(new JobDone(jobId, attempt, copy, resultJson, null));
            state = State.DONE;
        }
        reporter.finished(jobId, State.DONE);
    }

    /** Reports the failure of this attempt with the exception's class name and message. */
    public void failed(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        failed(cause.getClass().getName(), message);
    }

    /** Reports the failure of this attempt; sent in the background. */
    public void failed(String errorType, String message) {
        Objects.requireNonNull(errorType, "errorType");
        String text = message == null ? "" : message;
        synchronized (this) {
            ensureRunning("failed");
            reporter.publish(new JobFailed(jobId, attempt, null, errorType,
                text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text));
            state = State.FAILED;
        }
        reporter.finished(jobId, State.FAILED);
    }

    synchronized State state() {
        return state;
    }

    /** Whether done or failed has been reported. */
    public synchronized boolean finished() {
        return state != State.RUNNING;
    }

    /** Reports a failure of type {@value #UNREPORTED} when neither outcome was reported. */
    @Override
    public void close() {
        if (!finished()) {
            LOG.warn("Job {} attempt {} closed without done() or failed(); reporting it failed", jobId, attempt);
            failed(UNREPORTED, "the job's scope closed without done() or failed(): the cause is not known to Argus");
        }
    }

    private void ensureRunning(String call) {
        if (state != State.RUNNING) {
            throw new IllegalStateException(call + "() on job " + jobId + " attempt " + attempt + ", which is already "
                + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private static Map<String, Double> metrics(Map<String, Double> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        metrics.forEach((name, value) -> {
            if (name == null || value == null) {
                throw new IllegalArgumentException("metrics must not hold null names or values: " + metrics);
            }
        });
        return Map.copyOf(metrics);
    }

    private static void requireJson(String text) {
        try {
            JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("resultJson is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
