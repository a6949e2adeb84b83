package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.BatchAggregate;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StateSerdeTest {

    private final StateSerde<BatchState> batches = new StateSerde<>(BatchState::new);
    private final StateSerde<JobState> jobs = new StateSerde<>(JobState::new);

    /** A batch and a job with every kind of field filled: labels, launches, failures, decisions, history. */
    private static BatchAggregate richBatch() {
        TestEvents events = new TestEvents("b-serde");
        List<ArgusEvent> log = List.of(events.batchStart(0, 12), events.jobStart(1, "j", 1),
            events.progress(2, "j", 1, 10), events.jobFailed(3, "j", 1, 0, "OOM"),
            events.jobFailed(3, "j", 1, 1, "OOM"),
            events.attribution(4, "j", 1, Verdict.RESTART), events.jobStart(5, "j", 2), events.progress(6, "j", 1, 50),
            events.jobDone(7, "j", 2), events.batchStart(8, 12, 2, "python run.py --resume"));
        return BatchAggregate.fold(log);
    }

    @Test
    void writesTheSameBytesAsAvrosSchemaWalkingWriterSoStoredStateStaysReadable() throws IOException {
        BatchAggregate batch = richBatch();
        JobState job = batch.job("j").orElseThrow();
        assertThat(job.getFailures()).isNotEmpty();
        assertThat(job.getHistory()).isNotEmpty();

        assertThat(jobs.serializer().serialize("t", job)).isEqualTo(genericBytes(job));
        assertThat(batches.serializer().serialize("t", batch.batch().orElseThrow()))
            .isEqualTo(genericBytes(batch.batch().orElseThrow()));
    }

    @Test
    void readsBackAnEqualRecordWhoseMapsKeepKeyOrder() {
        JobState job = richBatch().job("j").orElseThrow();
        JobState read = jobs.deserializer().deserialize("t", jobs.serializer().serialize("t", job));
        assertThat(read).isEqualTo(job);
        assertThat(read.getParams()).isInstanceOf(TreeMap.class);
        assertThat(jobs.serializer().serialize("t", read)).isEqualTo(jobs.serializer().serialize("t", job));
    }

    @Test
    void equalRecordsGiveEqualBytesWhateverMapTheyHold() {
        JobState sorted = richBatch().job("j").orElseThrow();
        JobState hashed = JobState.newBuilder(sorted).build();
        Map<String, String> params = new HashMap<>();
        for (int i = 20; i > 0; i--) {
            params.put("param-" + i, "v" + i);
        }
        hashed.setParams(params);
        sorted.setParams(new TreeMap<>(params));

        assertThat(jobs.serializer().serialize("t", hashed)).isEqualTo(jobs.serializer().serialize("t", sorted));
        assertThat(hashed.getParams()).as("the record handed in is left as it was").isSameAs(params);
    }

    @Test
    void refusesAnotherFormatInsteadOfMisreadingIt() {
        byte[] bytes = jobs.serializer().serialize("t", richBatch().job("j").orElseThrow());
        bytes[0] = 2; // the layout before attempts kept their times
        assertThatThrownBy(() -> jobs.deserializer().deserialize("t", bytes))
            .isInstanceOf(SerializationException.class).hasMessageContaining("has format 2, this version reads 3")
            .hasMessageContaining("rebuild");
    }

    /** The format byte, then what Avro's SpecificDatumWriter writes (the maps here are sorted already). */
    private static <T extends SpecificRecordBase> byte[] genericBytes(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(StateSerde.FORMAT);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
