package io.argus.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobStart;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a launcher embeds to tell Argus about one batch: opening it publishes batch_start, {@link #job} scopes one
 * attempt of a job, and {@link #close()} publishes batch_done when the batch is over. If the process dies instead,
 * nothing more is published: the batch stays resumable, and the next Reporter on the same batch asks
 * {@link #remaining} what is left.
 * <pre>{@code
 * try (Reporter reporter = Reporter.builder()
 *         .sourceProject("forecasting").experimentType("benchmark").nTotal(plan.size())
 *         .batchId(BatchIds.derive("forecasting", "grid-v3"))
 *         .open()) {
 *     for (String jobId : reporter.remaining(plan)) {
 *         reporter.run(jobId, params(jobId), job -> job.done(train(jobId, job)));
 *     }
 * }
 * }</pre>
 * Thread-safe: jobs may run in parallel threads.
 */
public final class Reporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);
    /** The backend's restart budget when a batch does not name one (streams-app rule 11). */
    static final int DEFAULT_MAX_RESTARTS = 3;
    /** The query service waits at most this long for an attribution (its own limit). */
    static final Duration MAX_DECISION_WAIT = Duration.ofSeconds(30);

    private final String batchId;
    private final int nTotal;
    private final Integer maxRestarts;
    private final ReporterConfig config;
    private final Outbox outbox;
    private final Optional<QueryClient> query;
    private final Events events;
    private final ArgusEvent launch;
    private final JobLedger ledger = new JobLedger();
    private Heartbeats heartbeats;
    private boolean closed;

    private Reporter(String batchId, int nTotal, Integer maxRestarts, ReporterConfig config, Outbox outbox,
                     Optional<QueryClient> query, Events events, ArgusEvent launch) {
        this.batchId = batchId;
        this.nTotal = nTotal;
        this.maxRestarts = maxRestarts;
        this.config = config;
        this.outbox = outbox;
        this.query = query;
        this.events = events;
        this.launch = launch;
    }

    /** Publishes batch_start and starts the heartbeats. */
    static Reporter start(String batchId, int nTotal, Integer maxRestarts, ReporterConfig config, Outbox outbox,
                          Optional<QueryClient> query, Events events, BatchStart start) {
        Reporter reporter = new Reporter(batchId, nTotal, maxRestarts, config, outbox, query, events,
            events.wrap(start));
        outbox.publish(reporter.launch);
        reporter.heartbeats = Heartbeats.start(config.getMillis(ReporterConfig.HEARTBEAT_INTERVAL_MS),
            () -> reporter.publish(new Heartbeat()), batchId);
        return reporter;
    }

    public static ReporterBuilder builder() {
        return new ReporterBuilder();
    }

    public String batchId() {
        return batchId;
    }

    /**
     * Opens a scope for the next attempt of a job and publishes its job_start. The attempt continues this process's
     * count for the job, else the backend's (attempt + 1, read from the query service when configured), else 1.
     *
     * @throws IllegalStateException     when a scope of this job is already open
     * @throws ArgusUnavailableException when the query service is configured but cannot say the job's attempt
     */
    public JobScope job(String jobId, Map<String, String> params) {
        ReporterBuilder.requireText(jobId, "jobId");
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(params, "params"));
        int attempt = nextAttempt(jobId);
        outbox.publish(events.wrap(new JobStart(jobId, attempt, copy)));
        return new JobScope(this, jobId, attempt);
    }

    /**
     * Runs one attempt of a job in a scope: done when the body returns (unless it reported itself), failed with the
     * exception's type and message when it throws. Unchecked exceptions and errors are rethrown as they are,
     * checked ones wrapped in {@link JobFailedException}.
     */
    public void run(String jobId, Map<String, String> params, JobBody body) {
        try (JobScope job = job(jobId, params)) {
            try {
                body.run(job);
                if (!job.finished()) {
                    job.done(Map.of());
                }
            } catch (RuntimeException | Error e) {
                failUnlessFinished(job, e);
                throw e;
            } catch (Exception e) {
                failUnlessFinished(job, e);
                throw new JobFailedException(jobId, job.attempt(), e);
            }
        }
    }

    /**
     * The jobs that are done: those the query service reports done (asked once it has folded this launch's
     * batch_start, so nothing published before it is missed) and those done by this Reporter.
     *
     * @throws ArgusUnavailableException when the query service is not configured, unreachable, or lagging beyond
     *                                   {@value ReporterConfig#QUERY_TIMEOUT_MS}
     */
    public Set<String> completedJobs() {
        ledger.backend(readBackend());
        return ledger.done();
    }

    /** The planned jobs that are not done, in plan order. See {@link #completedJobs()}. */
    public List<String> remaining(Collection<String> plannedJobIds) {
        Set<String> done = completedJobs();
        return plannedJobIds.stream().filter(jobId -> !done.contains(jobId)).distinct().toList();
    }

    /**
     * Asks whether a failed attempt may restart. The query service waits for an attribution up to {@code maxWait}
     * (at most 30 s); with no answer in that time (unreachable, slow, not configured) the answer is the safe
     * default, RESTART, marked defaulted and logged.
     */
    public Decision decide(String jobId, int attempt, Duration maxWait) {
        ReporterBuilder.requireText(jobId, "jobId");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        if (query.isEmpty()) {
            return defaulted(jobId, attempt, ReporterConfig.QUERY_URL + " is not set");
        }
        Duration wait = maxWait.toMillis() < 1 ? Duration.ofMillis(1) : maxWait;
        // The service waits a fifth less (100 ms to 1 s), so that its answer has time to arrive.
        long margin = Math.min(1000, Math.max(100, wait.toMillis() / 5));
        long serverWait = Math.min(MAX_DECISION_WAIT.toMillis(), Math.max(0, wait.toMillis() - margin));
        try {
            Optional<JsonNode> answer = query.get().decision(batchId, jobId, attempt, serverWait, wait);
            if (answer.isEmpty()) {
                return defaulted(jobId, attempt, "the query service does not know batch " + batchId + " yet");
            }
            JsonNode json = answer.get();
            return new Decision(Decision.Verdict.valueOf(json.path("decision").asText("RESTART")),
                json.path("reason").asText(), json.path("defaulted").asBoolean(), attempt,
                json.path("restart_budget").asInt(restartBudget()));
        } catch (ArgusUnavailableException | IllegalArgumentException e) {
            return defaulted(jobId, attempt, e.getMessage());
        }
    }

    /** Attempts allowed per job in all, as the batch_start of this Reporter declared: max_restarts + 1. */
    public int restartBudget() {
        return (maxRestarts != null ? maxRestarts : DEFAULT_MAX_RESTARTS) + 1;
    }

    /** Waits up to {@code timeout} until everything published so far is acknowledged; true when it is. */
    public boolean flush(Duration timeout) {
        return outbox.flush(timeout);
    }

    /** Events published but not acknowledged yet: in flight, or in the spool waiting for the backend. */
    public long undelivered() {
        return outbox.undelivered();
    }

    /** Background events lost because the spool was full (each one is also logged). */
    public long dropped() {
        return outbox.dropped();
    }

    /**
     * Publishes batch_done when the batch is over: {@code failed} when some job's last attempt failed, {@code done}
     * when every planned job is done, nothing when jobs are left (the batch stays resumable). batch_done is durable
     * like job_done. Then tries for up to {@value ReporterConfig#CLOSE_TIMEOUT_MS} to deliver what is left; the
     * rest stays in the spool for the next Reporter.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        heartbeats.close();
        try {
            Optional<BatchOutcome> outcome = ledger.outcome(nTotal);
            if (outcome.isPresent()) {
                outbox.publishDurably(events.wrap(new BatchDone(outcome.get())));
            } else {
                LOG.info("Batch {}: {} of {} planned jobs done and none failed; leaving it open to be resumed",
                    batchId, ledger.done().size(), nTotal);
            }
        } catch (RuntimeException e) {
            LOG.error("batch_done of {} not published: {}", batchId, e.getMessage());
        } finally {
            outbox.close(config.getMillis(ReporterConfig.CLOSE_TIMEOUT_MS));
        }
    }

    void publish(Object payload) {
        outbox.publish(events.wrap(payload));
    }

    void publishDurably(Object payload) {
        outbox.publishDurably(events.wrap(payload));
    }

    void finished(String jobId, JobScope.State state) {
        ledger.finished(jobId, state);
    }

    private int nextAttempt(String jobId) {
        OptionalInt local = ledger.claimNext(jobId);
        if (local.isPresent()) {
            return local.getAsInt();
        }
        // New to this process: continue the backend's count (a network call, so outside the ledger's lock).
        Optional<BackendJobs.Job> known = backend().flatMap(b -> b.job(jobId));
        if (known.filter(BackendJobs.Job::done).isPresent()) {
            LOG.warn("Job {} of batch {} is already done; Argus will record this new start as ignored", jobId, batchId);
        }
        return ledger.claimNew(jobId, known.map(job -> job.attempt() + 1).orElse(1));
    }

    /** The backend's jobs, read once (after it has folded this launch); empty without a query service. */
    private Optional<BackendJobs> backend() {
        if (query.isEmpty()) {
            return Optional.empty();
        }
        Optional<BackendJobs> known = ledger.backend();
        if (known.isPresent()) {
            return known;
        }
        BackendJobs read = readBackend();
        ledger.backend(read);
        return Optional.of(read);
    }

    private BackendJobs readBackend() {
        QueryClient client = query.orElseThrow(() -> new ArgusUnavailableException("cannot tell which jobs of "
            + batchId + " are done: " + ReporterConfig.QUERY_URL + " (ARGUS_QUERY_URL) is not set"));
        return BackendJobs.read(client, batchId, launch.getTs(), config.getMillis(ReporterConfig.QUERY_TIMEOUT_MS),
            outbox::undelivered);
    }

    private Decision defaulted(String jobId, int attempt, String why) {
        LOG.warn("No restart decision for job {} attempt {} of {} ({}); restarting, the safe default", jobId, attempt,
            batchId, why);
        return new Decision(Decision.Verdict.RESTART, "no answer: " + why + "; RESTART is the safe default", true,
            attempt, restartBudget());
    }

    private static void failUnlessFinished(JobScope job, Throwable cause) {
        if (!job.finished()) {
            job.failed(cause);
        }
    }
}
