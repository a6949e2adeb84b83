package io.argus.schemas.wire;

import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body.
 * Subjects follow the TopicNameStrategy: {@code <topic>-value} and {@code <topic>-key}.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private WireFormat() {
    }

    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Writes the 5 header bytes for the schema id. */
    public static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC_BYTE).putInt(schemaId);
    }

    /** The schema id in the header of these bytes; refuses anything that is not framed as Confluent Avro. */
    public static int readSchemaId(byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new InvalidEventBytesException(Reason.TRUNCATED_HEADER, null,
                data.length + " bytes, the header alone needs " + HEADER_SIZE, null);
        }
        if (data[0] != MAGIC_BYTE) {
            throw new InvalidEventBytesException(Reason.WRONG_MAGIC_BYTE, null,
                String.format("first byte is 0x%02x, expected 0x00", data[0]), null);
        }
        return ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    }
}
