package io.argus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void everyPayloadBranchHasExactlyOneEventType() {
        List<String> branches = ArgusEvent.getClassSchema().getField("payload").schema().getTypes().stream()
            .map(Schema::getFullName)
            .toList();
        List<String> typed = Arrays.stream(EventType.values()).map(t -> t.payloadClass().getName()).toList();

        assertThat(typed).containsExactlyInAnyOrderElementsOf(branches);
    }

    @Test
    void wireNamesAreTheContractNames() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName)).containsExactly(
            "batch_start", "batch_done", "job_start", "job_progress", "job_done", "job_failed", "attribution",
            "stop_requested", "heartbeat");
        assertThat(EventType.fromWireName("job_done")).contains(EventType.JOB_DONE);
        assertThat(EventType.fromWireName("JobDone")).isEmpty();
    }

    @Test
    void payloadsMapToTheirType() {
        JobDone done = JobDone.newBuilder().setJobId("j").setAttempt(1).build();
        assertThat(EventType.ofPayload(done)).contains(EventType.JOB_DONE);
        assertThat(EventType.ofPayload("not a payload")).isEmpty();
        assertThat(EventType.ofPayload(null)).isEmpty();
    }
}
