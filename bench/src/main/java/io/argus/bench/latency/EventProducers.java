package io.argus.bench.latency;

import io.argus.bench.BenchContext;
import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.ArgusEventSerializer;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** A producer of Argus events as a launcher without the SDK would write them: the real serializer, acks=all. */
final class EventProducers {

    private EventProducers() {
    }

    static KafkaProducer<String, ArgusEvent> open(BenchContext context, String clientId, int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.stack().bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        // Handed over as an instance, so the producer does not configure it: configured here, closed by the producer.
        ArgusEventSerializer serializer = new ArgusEventSerializer();
        serializer.configure(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.stack().bootstrapServers(),
            RegistryClientConfig.URL, context.stack().registryUrl()), false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }
}
