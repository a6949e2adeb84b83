package io.argus.schemas.wire;

import io.argus.schemas.avro.ArgusEvent;

/** {@link AvroSerializer} of {@link ArgusEvent}, with the no-argument constructor Kafka's class configs need. */
public class ArgusEventSerializer extends AvroSerializer<ArgusEvent> {
}
