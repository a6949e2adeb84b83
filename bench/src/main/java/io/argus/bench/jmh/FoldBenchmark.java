package io.argus.bench.jmh;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.BatchFold;
import io.argus.streams.fold.FoldResult;
import io.argus.streams.fold.JobIds;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.StateSerde;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The fold's cost per event in a batch of 100, 10,000 or 100,000 jobs: the pure {@link BatchFold}, and the fold
 * with the state serde round trip the Streams processor pays per event (decode the batch and job records, fold,
 * encode the new ones).
 *
 * <p>Nothing but the ring's cursor changes after setup: the fold copies what it changes and never touches its
 * inputs, so every invocation folds one event into the same state and does the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FoldBenchmark {

    @Param({"100", "10000", "100000"})
    public int jobs;

    private final Serializer<BatchState> batchWriter = new StateSerde<>(BatchState::new).serializer();
    private final Deserializer<BatchState> batchReader = new StateSerde<>(BatchState::new).deserializer();
    private final Serializer<JobState> jobWriter = new StateSerde<>(JobState::new).serializer();
    private final Deserializer<JobState> jobReader = new StateSerde<>(JobState::new).deserializer();

    private FoldedBatch state;
    private byte[] batchBytes;
    private Map<String, byte[]> jobBytes;
    private EventRing ring;

    @Setup
    public void setUp() {
        TestEvents events = new TestEvents("bench-batch");
        state = FoldedBatch.of(events, jobs);
        batchBytes = batchWriter.serialize(ArgusTopology.BATCHES_STORE, state.batch());
        jobBytes = new HashMap<>();
        state.jobs().forEach((id, job) -> jobBytes.put(id, jobWriter.serialize(ArgusTopology.JOBS_STORE, job)));
        ring = EventRing.over(state, events, 42);
    }

    @Benchmark
    public FoldResult fold() {
        ArgusEvent event = ring.next();
        JobState job = JobIds.of(event).map(state.jobs()::get).orElse(null);
        return BatchFold.apply(state.batch(), job, event);
    }

    @Benchmark
    public void foldWithSerde(Blackhole sink) {
        ArgusEvent event = ring.next();
        BatchState batch = batchReader.deserialize(ArgusTopology.BATCHES_STORE, batchBytes);
        JobState job = JobIds.of(event).map(jobBytes::get)
            .map(bytes -> jobReader.deserialize(ArgusTopology.JOBS_STORE, bytes)).orElse(null);
        FoldResult result = BatchFold.apply(batch, job, event);
        sink.consume(batchWriter.serialize(ArgusTopology.BATCHES_STORE, result.batch()));
        result.job().ifPresent(next -> sink.consume(jobWriter.serialize(ArgusTopology.JOBS_STORE, next)));
    }
}
