package io.argus.bench.fold;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.schemas.wire.ArgusEventSerde;
import io.argus.schemas.wire.SerdeSettings;
import io.argus.streams.app.ArgusConfig;
import java.util.Optional;

/**
 * The honest ceiling for an Avro fold: the bare count with each event decoded first, by Argus's own Confluent-wire
 * deserializer and a registry client configured as the service configures them ({@code ARGUS_REGISTRY_URL} and the
 * other {@code argus.registry.*} settings through {@link ArgusConfig}). Any fold of Argus's events pays this decode;
 * between this and the bare count, the gap is what decoding costs, and between Argus and this, what the fold does
 * beyond it.
 *
 * <p>Arguments: bootstrap servers, topic, application id, state directory. Runs until SIGTERM.
 */
public final class DecodeCountApp {

    private DecodeCountApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        ArgusConfig config = ArgusConfig.load(Optional.empty(), System.getenv());
        try (SchemaRegistryClient registry =
                 new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(config.registrySettings()))) {
            ArgusEventSerde events = new ArgusEventSerde(registry, SerdeSettings.defaults());
            StreamsChild.run("DecodeCountApp", args, topic -> BareCountApp.countPerKey("decode", topic, events));
        }
    }
}
