package io.argus.streams.fold;

import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import java.util.Optional;

/**
 * The invariants an event must keep before the fold sees it. The schema says what is well-formed; this says what is
 * valid. The Streams processor sends violations to the dead-letter topic, and HTTP ingest answers them with 400.
 */
public final class EventValidator {

    /** A broken invariant: the field (as named on the wire) and why. */
    public record Violation(String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    private EventValidator() {
    }

    public static Optional<Violation> validate(ArgusEvent event) {
        if (isBlank(event.getEventId())) {
            return violation("event_id", "must not be empty");
        }
        if (isBlank(event.getBatchId())) {
            return violation("batch_id", "must not be empty");
        }
        if (event.getBatchId().indexOf('\u0000') >= 0) {
            return violation("batch_id", "must not contain NUL characters");
        }
        if (event.getTs() == null) {
            return violation("ts", "must be set");
        }
        Object payload = event.getPayload();
        if (EventType.ofPayload(payload).isEmpty()) {
            return violation("payload", "unknown event type " + (payload == null ? "null" : payload.getClass().getName()));
        }
        if (payload instanceof BatchStart start) {
            if (start.getNTotal() < 0) {
                return violation("n_total", "must be >= 0, got " + start.getNTotal());
            }
            if (start.getMaxRestarts() != null && start.getMaxRestarts() < 0) {
                return violation("max_restarts", "must be >= 0, got " + start.getMaxRestarts());
            }
            return Optional.empty();
        }
        if (payload instanceof JobStart start) {
            return checkJob(start.getJobId(), start.getAttempt());
        }
        if (payload instanceof JobProgress progress) {
            return checkJob(progress.getJobId(), progress.getAttempt());
        }
        if (payload instanceof JobDone done) {
            return checkJob(done.getJobId(), done.getAttempt());
        }
        if (payload instanceof JobFailed failed) {
            Optional<Violation> job = checkJob(failed.getJobId(), failed.getAttempt());
            if (job.isEmpty() && failed.getRank() != null && failed.getRank() < 0) {
                return violation("rank", "must be >= 0, got " + failed.getRank());
            }
            return job;
        }
        if (payload instanceof Attribution attribution) {
            return checkJob(attribution.getJobId(), attribution.getAttempt());
        }
        return Optional.empty();
    }

    private static Optional<Violation> checkJob(String jobId, int attempt) {
        if (isBlank(jobId)) {
            return violation("job_id", "a job event needs a job_id");
        }
        if (attempt < 1) {
            return violation("attempt", "must be >= 1, got " + attempt);
        }
        return Optional.empty();
    }

    private static Optional<Violation> violation(String field, String reason) {
        return Optional.of(new Violation(field, reason));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
