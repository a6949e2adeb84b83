package io.argus.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void theHeaderIsMagicByteThenBigEndianId() {
        ByteBuffer buffer = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
        WireFormat.writeHeader(buffer, 0x01020304);

        assertThat(buffer.array()).containsExactly(0, 1, 2, 3, 4);
        assertThat(WireFormat.readSchemaId(buffer.array())).isEqualTo(0x01020304);
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(WireFormat.subject("argus.events", false)).isEqualTo("argus.events-value");
        assertThat(WireFormat.subject("argus.events", true)).isEqualTo("argus.events-key");
    }

    @Test
    void shortOrUnframedBytesAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> WireFormat.readSchemaId(new byte[] {0, 0, 1}))
            .isInstanceOfSatisfying(InvalidEventBytesException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_HEADER))
            .hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> WireFormat.readSchemaId("{\"json\":1}".getBytes()))
            .isInstanceOfSatisfying(InvalidEventBytesException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_MAGIC_BYTE))
            .hasMessageContaining("0x7b");
    }
}
