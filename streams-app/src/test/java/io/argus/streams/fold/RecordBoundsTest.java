package io.argus.streams.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.StopRequested;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.topology.StateSerde;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No state record may outgrow what its changelog accepts (1 MiB by default), whatever a client writes: a record
 * the changelog refuses stops the fold for every batch of the task, and the event that built it is still in the log.
 * These fold the worst cases any valid event can build and measure the encoded records.
 */
class RecordBoundsTest {

    /** Below the broker's default max.message.bytes (1,048,588), with room for the key and the batch's headers. */
    private static final int CHANGELOG_LIMIT = 1_000_000;

    private final StateSerde<JobState> jobs = new StateSerde<>(JobState::new);
    private final StateSerde<BatchState> batches = new StateSerde<>(BatchState::new);
    private final BatchAggregate aggregate = new BatchAggregate();
    private long sequence;

    @Test
    void twoFailureReportsOf700000CharactersAreCutAndTheJobStaysSmall() {
        String huge = "x".repeat(700_000);
        fold(new JobStart("j", 1, Map.of()));
        fold(new JobFailed("j", 1, 0, "CudaOOM", huge));
        fold(new JobFailed("j", 1, 1, "CudaOOM", huge));

        JobState job = aggregate.job("j").orElseThrow();
        String message = job.getFailures().get(0).getMessage();
        assertThat(message).startsWith("xxxx").endsWith("[cut by Argus: 698000 more characters]");
        assertThat(bytes(job)).isLessThan(10_000);
    }

    @Test
    void aJobFailed100000TimesKeepsOnlyItsNewestAttempts() {
        for (int attempt = 1; attempt <= 100_000; attempt++) {
            fold(new JobStart("j", attempt, Map.of("seed", "1")));
            fold(new JobFailed("j", attempt, attempt % 8, "E" + attempt, "m".repeat(3_000)));
            fold(new Attribution("j", attempt, Verdict.RESTART, "r".repeat(3_000), "classifier"));
        }
        // A zombie of the first attempt, and a re-sent report of it: neither changes anything.
        JobState before = aggregate.job("j").orElseThrow();
        assertThat(fold(new JobFailed("j", 1, 0, "E1", "late"))).isEqualTo(Effect.DUPLICATE);
        assertThat(fold(new JobFailed("j", 1, 5, "E1", "a zombie rank"))).isEqualTo(Effect.DUPLICATE);
        assertThat(aggregate.job("j").orElseThrow()).isEqualTo(before);

        JobState job = aggregate.job("j").orElseThrow();
        assertThat(job.getAttempt()).isEqualTo(100_000);
        assertThat(job.getFailures()).hasSize(Limits.ATTEMPTS_KEPT);
        assertThat(job.getDecisions()).hasSize(Limits.ATTEMPTS_KEPT);
        assertThat(job.getAttemptMarks()).hasSize(Limits.ATTEMPTS_KEPT);
        assertThat(bytes(job)).isLessThan(CHANGELOG_LIMIT / 4);
    }

    @Test
    void theLargestJobAnyValidEventsCanBuildFitsItsChangelog() {
        String jobId = "j".repeat(Limits.JOB_ID_CHARS);
        Map<String, String> params = new HashMap<>();
        Map<String, Double> metrics = new HashMap<>();
        for (int i = 0; i < Limits.MAP_ENTRIES; i++) {
            String key = String.format("%0" + Limits.MAP_KEY_CHARS + "d", i);
            params.put(key, "v".repeat(Limits.PARAM_VALUE_CHARS));
            metrics.put(key, (double) i);
        }
        String text = "t".repeat(100_000);
        for (int attempt = 1; attempt <= Limits.ATTEMPTS_KEPT; attempt++) {
            fold(new JobStart(jobId, attempt, params));
            fold(new JobProgress(jobId, attempt, 1L, metrics));
            for (int rank = 0; rank < Limits.RANKS_KEPT + 10; rank++) {
                fold(new JobFailed(jobId, attempt, rank, text, text));
            }
            for (int report = 0; report < Limits.REPORT_IDS_KEPT + 10; report++) {
                fold(new JobFailed(jobId, attempt, null, text, text));
            }
            fold(new Attribution(jobId, attempt, Verdict.RESTART, text, text));
            fold(new Attribution(jobId, attempt, Verdict.STOP, text, text));
        }
        // Late and stale events of every kind for every kept attempt.
        fold(new JobStart(jobId, Limits.ATTEMPTS_KEPT + 1, params));
        for (int attempt = 2; attempt <= Limits.ATTEMPTS_KEPT; attempt++) {
            fold(new Attribution(jobId, attempt, Verdict.STOP, text, text));
            fold(new JobDone(jobId, attempt, metrics, null, null));
            fold(new JobProgress(jobId, attempt, 5L, metrics));
        }
        fold(new JobDone(jobId, Limits.ATTEMPTS_KEPT + 1, metrics, "r".repeat(Limits.RESULT_CHARS),
            "u".repeat(Limits.URI_CHARS)));

        int size = bytes(aggregate.job(jobId).orElseThrow());
        assertThat(size).as("encoded job record").isLessThan(CHANGELOG_LIMIT);
    }

    @Test
    void theLargestBatchAnyValidEventsCanBuildFitsItsChangelog() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < Limits.MAP_ENTRIES; i++) {
            labels.put(String.format("%0" + Limits.MAP_KEY_CHARS + "d", i), "v".repeat(Limits.PARAM_VALUE_CHARS));
        }
        String name = "n".repeat(Limits.SHORT_TEXT_CHARS);
        for (int launch = 0; launch < Limits.LAUNCHES_KEPT + 50; launch++) {
            fold(new BatchStart(name, name, 10, "c".repeat(100_000), name, 3, labels));
            fold(new StopRequested("s".repeat(100_000), name));
            fold(new BatchDone(BatchOutcome.failed));
        }
        BatchState batch = aggregate.batch().orElseThrow();
        assertThat(batch.getLaunches()).hasSize(Limits.LAUNCHES_KEPT);
        assertThat(batch.getAppliedEventIds()).hasSize(Limits.BATCH_EVENT_IDS_KEPT);
        assertThat(batch.getResumeCount()).isEqualTo(Limits.LAUNCHES_KEPT + 49);
        assertThat(bytes(batch)).as("encoded batch record").isLessThan(CHANGELOG_LIMIT);
    }

    private Effect fold(Object payload) {
        ArgusEvent event = ArgusEvent.newBuilder()
            .setEventId(String.format("%0" + Limits.EVENT_ID_CHARS + "d", sequence++))
            .setBatchId("b".repeat(Limits.BATCH_ID_CHARS))
            .setTs(Instant.ofEpochSecond(1_790_000_000L + sequence))
            .setProducer("bounds-test")
            .setPayload(payload)
            .build();
        assertThat(EventValidator.validate(event)).as("a valid event: %s", payload.getClass().getSimpleName())
            .isEmpty();
        return aggregate.apply(event);
    }

    private int bytes(JobState job) {
        return jobs.serializer().serialize("jobs", job).length;
    }

    private int bytes(BatchState batch) {
        return batches.serializer().serialize("batches", batch).length;
    }
}
