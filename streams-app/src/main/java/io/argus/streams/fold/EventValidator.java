package io.argus.streams.fold;

import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import java.util.Map;
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
        if (event.getEventId().length() > Limits.EVENT_ID_CHARS) {
            return tooLong("event_id", event.getEventId(), Limits.EVENT_ID_CHARS);
        }
        Optional<Violation> eventId = id("event_id", event.getEventId());
        if (eventId.isPresent()) {
            return eventId;
        }
        if (isBlank(event.getBatchId())) {
            return violation("batch_id", "must not be empty");
        }
        Optional<Violation> batchId = id("batch_id", event.getBatchId());
        if (batchId.isPresent()) {
            return batchId;
        }
        if (event.getBatchId().length() > Limits.BATCH_ID_CHARS) {
            return tooLong("batch_id", event.getBatchId(), Limits.BATCH_ID_CHARS);
        }
        if (event.getTs() == null) {
            return violation("ts", "must be set");
        }
        if (event.getTs().isBefore(Limits.EARLIEST_TS) || event.getTs().isAfter(Limits.LATEST_TS)) {
            return violation("ts", "must be between " + Limits.EARLIEST_TS + " and " + Limits.LATEST_TS + ", got "
                + event.getTs());
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
            return first(
                name("source_project", start.getSourceProject()),
                name("experiment_type", start.getExperimentType()),
                name("git_sha", start.getGitSha()),
                map("labels", start.getLabels(), Limits.PARAM_VALUE_CHARS));
        }
        if (payload instanceof JobStart start) {
            return first(checkJob(start.getJobId(), start.getAttempt()),
                map("params", start.getParams(), Limits.PARAM_VALUE_CHARS));
        }
        if (payload instanceof JobProgress progress) {
            return first(checkJob(progress.getJobId(), progress.getAttempt()),
                map("metrics", progress.getMetrics(), Integer.MAX_VALUE), finite("metrics", progress.getMetrics()));
        }
        if (payload instanceof JobDone done) {
            return first(checkJob(done.getJobId(), done.getAttempt()),
                map("metrics", done.getMetrics(), Integer.MAX_VALUE), finite("metrics", done.getMetrics()),
                length("result", done.getResult(), Limits.RESULT_CHARS),
                length("output_uri", done.getOutputUri(), Limits.URI_CHARS));
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
        if (jobId.length() > Limits.JOB_ID_CHARS) {
            return tooLong("job_id", jobId, Limits.JOB_ID_CHARS);
        }
        Optional<Violation> id = id("job_id", jobId);
        if (id.isPresent()) {
            return id;
        }
        if (attempt < 1) {
            return violation("attempt", "must be >= 1, got " + attempt);
        }
        return Optional.empty();
    }

    /**
     * Ids are store keys and appear in URLs and JSON: no control characters (U+0000-U+001F, U+007F-U+009F). NUL
     * especially, since it separates a batch id from a job id in the store keys ({@code StoreKeys}).
     */
    private static Optional<Violation> id(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return violation(field, String.format("must not contain control characters, got U+%04X at "
                    + "character %d", (int) value.charAt(i), i));
            }
        }
        return Optional.empty();
    }

    /** Metrics are 64-bit floats: NaN and the infinities are not measurements and JSON cannot carry them. */
    private static Optional<Violation> finite(String field, Map<String, Double> values) {
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            if (entry.getValue() == null || !Double.isFinite(entry.getValue())) {
                return violation(field, "values must be finite numbers, '" + entry.getKey() + "' is "
                    + entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** A name stored as given (source_project, git_sha...): short, or the event is refused. */
    private static Optional<Violation> name(String field, String value) {
        return length(field, value, Limits.SHORT_TEXT_CHARS);
    }

    private static Optional<Violation> length(String field, String value, int max) {
        return value != null && value.length() > max ? tooLong(field, value, max) : Optional.empty();
    }

    /** At most {@link Limits#MAP_ENTRIES} entries, short keys, values (when strings) of at most {@code maxValue}. */
    private static Optional<Violation> map(String field, Map<String, ?> entries, int maxValue) {
        if (entries.size() > Limits.MAP_ENTRIES) {
            return violation(field, "at most " + Limits.MAP_ENTRIES + " entries, got " + entries.size());
        }
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            if (entry.getKey().length() > Limits.MAP_KEY_CHARS) {
                return violation(field, "keys of at most " + Limits.MAP_KEY_CHARS + " characters, got one of "
                    + entry.getKey().length());
            }
            if (entry.getValue() instanceof CharSequence value && value.length() > maxValue) {
                return violation(field, "values of at most " + maxValue + " characters, '" + entry.getKey()
                    + "' has " + value.length());
            }
        }
        return Optional.empty();
    }

    @SafeVarargs
    private static Optional<Violation> first(Optional<Violation>... checks) {
        for (Optional<Violation> check : checks) {
            if (check.isPresent()) {
                return check;
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> tooLong(String field, String value, int max) {
        return violation(field, "at most " + max + " characters, got " + value.length());
    }

    private static Optional<Violation> violation(String field, String reason) {
        return Optional.of(new Violation(field, reason));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
