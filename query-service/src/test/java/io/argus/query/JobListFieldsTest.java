package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import io.argus.schemas.AvroTrust;
import io.argus.streams.state.AttemptMarks;
import io.argus.streams.state.AttemptOutcome;
import io.argus.streams.state.Failure;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.view.JobView;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jobs list's fields, written by hand: all of them are the view as Jackson writes it; fields= picks some. */
class JobListFieldsTest {

    static {
        AvroTrust.trustGeneratedClasses();
    }

    /** Every field set, maps unsorted (as a record the fold just made may hold them), two failed attempts. */
    private static final JobState JOB = JobState.newBuilder()
        .setJobId("dam/\"lstm\"")
        .setStatus(JobStatus.done)
        .setAttempt(2)
        .setParams(new HashMap<>(Map.of("model", "lstm", "dataset", "dam", "lr", "1e-3")))
        .setStartedAt(1_764_000_000_000L)
        .setFinishedAt(1_764_000_360_123L)
        .setStep(500L)
        .setProgressMetrics(new HashMap<>(Map.of("loss", 0.31, "acc", 0.9)))
        .setMetrics(new HashMap<>(Map.of("rmse", 0.2, "mae", 0.12, "big", 1e29)))
        .setResult("{\"mae\": 0.12}")
        .setOutputUri("s3://runs/dam-lstm")
        .setFailures(List.of(
            new Failure(1, List.of("e1"), List.of(), "CudaOOM", "out of memory", 1_764_000_100_000L),
            new Failure(2, List.of("e2"), List.of(0), "Killed", "signal 9 \u2014 \u00e9", 1_764_000_200_000L)))
        .setAttemptMarks(List.of(
            new AttemptMarks(1, "s1", null, 40L, 1_764_000_000_000L, 1_764_000_100_000L, AttemptOutcome.failed),
            new AttemptMarks(2, null, "d2", null, null, 1_764_000_360_123L, AttemptOutcome.done),
            new AttemptMarks(3, "s3", null, null, 1_764_000_400_000L, null, null)))
        .build();

    @Test
    void allFieldsWriteExactlyWhatTheViewWrites() throws IOException {
        assertThat(write(JobListFields.ALL, JOB)).isEqualTo(ViewJson.write(JobView.summary(JOB)));
        assertThat(write(JobListFields.parse(null), JOB)).isEqualTo(ViewJson.write(JobView.summary(JOB)));
    }

    @Test
    void nullsAndEmptyMapsAreWrittenLikeTheView() throws IOException {
        JobState running = JobState.newBuilder().setJobId("j").setStatus(JobStatus.running).setAttempt(1).build();
        assertThat(write(JobListFields.ALL, running)).isEqualTo(ViewJson.write(JobView.summary(running)));
    }

    @Test
    void attemptsSayWhenEachRanAndHowItEnded() throws IOException {
        assertThat(write(JobListFields.parse("attempts"), JOB)).isEqualTo("{\"attempts\":["
            + "{\"attempt\":1,\"started_at\":\"2025-11-24T16:00:00Z\",\"ended_at\":\"2025-11-24T16:01:40Z\","
            + "\"outcome\":\"failed\",\"error_type\":\"CudaOOM\"},"
            + "{\"attempt\":2,\"started_at\":null,\"ended_at\":\"2025-11-24T16:06:00.123Z\",\"outcome\":\"done\","
            + "\"error_type\":null},"
            + "{\"attempt\":3,\"started_at\":\"2025-11-24T16:06:40Z\",\"ended_at\":null,\"outcome\":null,"
            + "\"error_type\":null}]}");
    }

    @Test
    void chosenFieldsComeInTheListsOrderWhateverTheOrderAsked() throws IOException {
        assertThat(write(JobListFields.parse("metrics, job_id,status,params,job_id"), JOB)).isEqualTo(
            "{\"job_id\":\"dam/\\\"lstm\\\"\",\"status\":\"done\",\"params\":{\"dataset\":\"dam\",\"lr\":\"1e-3\","
                + "\"model\":\"lstm\"},\"metrics\":{\"big\":1.0E29,\"mae\":0.12,\"rmse\":0.2}}");
        assertThat(write(JobListFields.parse("last_error"), JOB))
            .isEqualTo("{\"last_error\":{\"error_type\":\"Killed\",\"message\":\"signal 9 \u2014 \u00e9\"}}");
    }

    @Test
    void anUnknownOrEmptyFieldNameIsABadRequestThatListsTheNames() {
        for (String fields : List.of("job_id,failures", "", "job_id,")) {
            assertThatThrownBy(() -> JobListFields.parse(fields)).as(fields)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("job_id, status, params", "last_error");
                });
        }
    }

    private static String write(JobListFields fields, JobState job) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = ViewJson.mapper().getFactory().createGenerator(out)) {
            fields.write(json, JobView.summary(job));
        }
        return out.toString();
    }
}
