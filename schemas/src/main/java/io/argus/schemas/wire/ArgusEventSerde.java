package io.argus.schemas.wire;

import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.avro.ArgusEvent;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serde of the event log: {@link ArgusEvent} in the Confluent wire format. Give it a registry client, or
 * name it as a class in Kafka configs and let {@code configure} build one from the {@code argus.registry.*} keys.
 */
public class ArgusEventSerde extends Serdes.WrapperSerde<ArgusEvent> {

    public ArgusEventSerde() {
        super(new ArgusEventSerializer(), new ArgusEventDeserializer());
    }

    public ArgusEventSerde(SchemaRegistryClient registry, SerdeSettings settings) {
        super(new AvroSerializer<>(registry, settings), new ArgusEventDeserializer(registry));
    }
}
