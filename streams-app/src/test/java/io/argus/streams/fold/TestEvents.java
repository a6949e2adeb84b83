package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.StopRequested;
import io.argus.schemas.avro.Verdict;
import java.time.Instant;
import java.util.Map;

/**
 * Events of one batch for tests, each with a fresh event id and a time in seconds after a fixed origin, so tests
 * read as "given these events, then this state".
 */
public final class TestEvents {

    public static final Instant ORIGIN = Instant.parse("2026-11-23T08:00:00Z");

    private final String batchId;
    private int nextId;

    public TestEvents(String batchId) {
        this.batchId = batchId;
    }

    public static long at(long second) {
        return ORIGIN.plusSeconds(second).toEpochMilli();
    }

    public ArgusEvent batchStart(long second, int nTotal) {
        return batchStart(second, nTotal, null, "python run.py");
    }

    public ArgusEvent batchStart(long second, int nTotal, Integer maxRestarts, String command) {
        return event(second, BatchStart.newBuilder().setSourceProject("forecasting").setExperimentType("benchmark")
            .setNTotal(nTotal).setCommand(command).setGitSha("4f2a9c1").setMaxRestarts(maxRestarts)
            .setLabels(Map.of("team", "ml")).build());
    }

    public ArgusEvent batchDone(long second, BatchOutcome outcome) {
        return event(second, new BatchDone(outcome));
    }

    public ArgusEvent jobStart(long second, String jobId, int attempt) {
        return event(second, new JobStart(jobId, attempt, Map.of("model", "lstm", "dataset", "dam")));
    }

    public ArgusEvent progress(long second, String jobId, int attempt, long step) {
        return event(second, new JobProgress(jobId, attempt, step, Map.of("loss", 1.0 / (step + 1))));
    }

    public ArgusEvent jobDone(long second, String jobId, int attempt) {
        return event(second, new JobDone(jobId, attempt, Map.of("mae", 0.12), "{\"mae\":0.12}", null));
    }

    public ArgusEvent jobFailed(long second, String jobId, int attempt, Integer rank, String errorType) {
        return event(second, new JobFailed(jobId, attempt, rank, errorType, errorType + " on rank " + rank));
    }

    public ArgusEvent attribution(long second, String jobId, int attempt, Verdict verdict) {
        return event(second, new Attribution(jobId, attempt, verdict, "classified " + verdict, "oom-classifier"));
    }

    public ArgusEvent stopRequested(long second) {
        return event(second, new StopRequested("out of budget", "alice"));
    }

    public ArgusEvent heartbeat(long second) {
        return event(second, new Heartbeat());
    }

    public ArgusEvent event(long second, Object payload) {
        return ArgusEvent.newBuilder()
            .setEventId(batchId + "-event-" + (nextId++))
            .setBatchId(batchId)
            .setTs(ORIGIN.plusSeconds(second))
            .setProducer("test-host/1/launch")
            .setPayload(payload)
            .build();
    }
}
