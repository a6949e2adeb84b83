package io.argus.streams.bench;

import io.argus.streams.app.ArgusConfig;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One run of the baseline: a bare Kafka Streams count per key (a persistent RocksDB store with its changelog) over
 * the same topic, with the same Kafka settings as Argus, counting records with a peek before the aggregation.
 */
final class BareCountRun {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private BareCountRun() {
    }

    static Topology topology(String topic, LongAdder processed) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .peek((key, value) -> processed.increment())
            // Kafka Streams 4.3 does not pass the source's serdes to the store: name them.
            .groupByKey(Grouped.with("bare-group", Serdes.String(), Serdes.ByteArray()))
            .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("bare-count")
                .withKeySerde(Serdes.String()));
        return builder.build();
    }

    /** @param config from {@link BenchStack#appConfig}: its Kafka settings, application id and state directory */
    static Measurement run(ArgusConfig config, String topic, long n, Duration timeout) {
        Properties properties = config.streamsProperties();
        LongAdder processed = new LongAdder();
        KafkaStreams streams = new KafkaStreams(topology(topic, processed), properties);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        long started = System.nanoTime();
        streams.start();
        try {
            return RateProbe.measure("bare count " + properties.get(StreamsConfig.APPLICATION_ID_CONFIG), n, started,
                processed::sum, streams::state, timeout);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
            BenchStack.deleteState(config);
        }
    }
}
