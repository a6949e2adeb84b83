package io.argus.schemas.wire;

import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.avro.ArgusEvent;

/** {@link AvroDeserializer} that reads any compatible writer version as the current {@link ArgusEvent}. */
public class ArgusEventDeserializer extends AvroDeserializer<ArgusEvent> {

    public ArgusEventDeserializer() {
        super(ArgusEvent.getClassSchema(), new ArgusEvent().getSpecificData());
    }

    public ArgusEventDeserializer(SchemaRegistryClient registry) {
        super(registry, ArgusEvent.getClassSchema(), new ArgusEvent().getSpecificData());
    }
}
