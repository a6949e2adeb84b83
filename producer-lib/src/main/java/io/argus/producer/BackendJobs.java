package io.argus.producer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The backend's view of a batch's jobs, read only after the backend has folded this launch's own batch_start. A
 * batch's events share one partition, in order, so once that start is folded, so is everything published before
 * it, including the last events of a process that was killed. Reading earlier could miss a job that is done and
 * run it twice.
 */
final class BackendJobs {

    /** One job as the query service reports it. */
    record Job(String status, int attempt) {
        boolean done() {
            return "done".equals(status);
        }
    }

    private static final long POLL_MS = 100;

    private final Map<String, Job> jobs;

    private BackendJobs(Map<String, Job> jobs) {
        this.jobs = Collections.unmodifiableMap(jobs);
    }

    /**
     * @param launchTs    the ts of this launch's batch_start
     * @param undelivered how many of this Reporter's events are still on their way, for the message on timeout
     */
    static BackendJobs read(QueryClient client, String batchId, Instant launchTs, Duration timeout,
                            LongSupplier undelivered) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Runnable expired = () -> {
            long waiting = undelivered.getAsLong();
            throw new ArgusUnavailableException("the Argus query service at " + client.base() + " has not folded"
                + " this launch's batch_start of " + batchId + " within " + timeout.toMillis() + " ms"
                + (waiting > 0 ? "; " + waiting + " events of this Reporter are not delivered yet (is Kafka reachable?)"
                : "; is its fold running and caught up?"));
        };
        while (!seesLaunch(client.batch(batchId, left(deadline, expired)), launchTs)) {
            pause(Math.min(POLL_MS, left(deadline, expired).toMillis()));
        }
        JsonNode list = client.jobs(batchId, left(deadline, expired))
            .orElseThrow(() -> new ArgusUnavailableException("the Argus query service at " + client.base()
                + " lists no jobs for batch " + batchId + " although it knows the batch"));
        Map<String, Job> jobs = new LinkedHashMap<>();
        list.forEach(job -> jobs.put(job.path("job_id").asText(),
            new Job(job.path("status").asText(), job.path("attempt").asInt(0))));
        return new BackendJobs(jobs);
    }

    Map<String, Job> jobs() {
        return jobs;
    }

    Optional<Job> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** True once the batch view shows this launch: as its first start, a resume, or an ignored relaunch. */
    static boolean seesLaunch(Optional<JsonNode> view, Instant launchTs) {
        return view.map(v -> Stream.of("start_time", "last_resumed_at", "last_ignored_relaunch_at")
                .map(field -> instant(v.path(field)))
                .anyMatch(launchTs::equals))
            .orElse(false);
    }

    private static Instant instant(JsonNode text) {
        if (!text.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(text.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** What is left until the deadline; runs {@code expired} (which throws) once it has passed. */
    private static Duration left(long deadline, Runnable expired) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            expired.run();
        }
        return Duration.ofNanos(left);
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusUnavailableException("interrupted while waiting for the Argus query service", e);
        }
    }
}
