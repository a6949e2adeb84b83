package io.argus.schemas.wire;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid Confluent-framed Avro record. The one exception type for every bad-bytes case, so a
 * caller (the Streams deserialization handler) can send exactly these to the dead-letter topic with {@link #reason()}
 * and let every other failure, such as an unreachable registry, stop processing instead of dropping data.
 */
public class InvalidEventBytesException extends SerializationException {

    /** Why the bytes were refused. */
    public enum Reason {
        /** Fewer than the 5 header bytes. */
        TRUNCATED_HEADER,
        /** The first byte is not the Confluent magic byte 0. */
        WRONG_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The record cannot be read as the reader schema: an incompatible schema, or an event type unknown here. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not decode with the writer schema: truncated, corrupt, or with bytes left over. */
        CORRUPT_PAYLOAD
    }

    private final Reason reason;
    private final Integer schemaId;

    public InvalidEventBytesException(Reason reason, Integer schemaId, String detail, Throwable cause) {
        super(reason + (schemaId == null ? "" : " (schema id " + schemaId + ")") + ": " + detail, cause);
        this.reason = reason;
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id from the header, when the header could be read. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
