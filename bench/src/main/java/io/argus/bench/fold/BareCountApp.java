package io.argus.bench.fold;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
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
 * The baseline, in a child JVM of its own like the service: a bare Kafka Streams count per key into a persistent
 * RocksDB store (with its changelog and the DSL's record cache), with the processing guarantee and Kafka settings
 * Argus runs with. It does nothing per record but count, so its rate is this machine's ceiling for a stateful
 * Streams app over the same topic.
 *
 * <p>Arguments: bootstrap servers, topic, application id, state directory. Runs until SIGTERM.
 */
public final class BareCountApp {

    private BareCountApp() {
    }

    static Topology topology(String topic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("bare-source"))
            // Kafka Streams 4.3 does not pass the source's serdes to the store: name them.
            .groupByKey(Grouped.with("bare-group", Serdes.String(), Serdes.ByteArray()))
            .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("bare-count")
                .withKeySerde(Serdes.String()));
        return builder.build();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: BareCountApp <bootstrap servers> <topic> <application id> <state dir>");
            System.exit(2);
        }
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, args[2]);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, args[3]);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        KafkaStreams streams = new KafkaStreams(topology(args[1]), properties);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
            stopped.countDown();
        }, "bare-count-shutdown"));
        streams.start();
        stopped.await();
    }
}
