package io.argus.streams.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.AvroTrust;
import io.argus.streams.state.BatchState;
import org.junit.jupiter.api.Test;

/** The fold builds its records without Avro's builders; what it builds must be what the schema's defaults say. */
class BatchRulesTest {

    @Test
    void anUnknownBatchHoldsExactlyTheSchemasDefaults() {
        AvroTrust.trustGeneratedClasses(); // the builder needs it; the fold does not (BatchFoldTest runs without)
        assertThat(BatchRules.unknownBatch("b")).isEqualTo(BatchState.newBuilder().setBatchId("b").build());
    }
}
