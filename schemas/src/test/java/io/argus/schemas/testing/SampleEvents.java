package io.argus.schemas.testing;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One event of each type for a batch, with every optional field set somewhere. */
public final class SampleEvents {

    private SampleEvents() {
    }

    public static List<ArgusEvent> oneOfEachType(String batchId) {
        return List.of(
            event(batchId, 1, BatchStart.newBuilder().setSourceProject("forecasting").setExperimentType("benchmark")
                .setNTotal(120).setCommand("python run.py --all").setGitSha("4f2a9c1").setMaxRestarts(2)
                .setLabels(Map.of("team", "ml")).build()),
            event(batchId, 2, JobStart.newBuilder().setJobId("dam/lstm").setAttempt(1)
                .setParams(Map.of("model", "lstm", "dataset", "dam")).build()),
            event(batchId, 3, JobProgress.newBuilder().setJobId("dam/lstm").setAttempt(1).setStep(40)
                .setMetrics(Map.of("loss", 0.25)).build()),
            event(batchId, 4, JobFailed.newBuilder().setJobId("dam/lstm").setAttempt(1).setRank(3)
                .setErrorType("CudaOOM").setMessage("out of memory").build()),
            event(batchId, 5, Attribution.newBuilder().setJobId("dam/lstm").setAttempt(1).setVerdict(Verdict.RESTART)
                .setReason("transient").setSource("oom-classifier").build()),
            event(batchId, 6, JobDone.newBuilder().setJobId("dam/lstm").setAttempt(2).setMetrics(Map.of("mae", 0.12))
                .setResult("{\"mae\":0.12}").setOutputUri("s3://bucket/dam/lstm").build()),
            event(batchId, 7, new Heartbeat()),
            event(batchId, 8, StopRequested.newBuilder().setReason("budget").setRequestedBy("alice").build()),
            event(batchId, 9, BatchDone.newBuilder().setStatus(BatchOutcome.stopped).build()));
    }

    public static ArgusEvent event(String batchId, long second, Object payload) {
        return ArgusEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setBatchId(batchId)
            .setTs(Instant.parse("2026-11-23T10:00:00Z").plusSeconds(second))
            .setProducer("host-a/4242/launch-1")
            .setPayload(payload)
            .build();
    }
}
