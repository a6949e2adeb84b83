package io.argus.bench.fold;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
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
        return countPerKey("bare", topic, Serdes.ByteArray());
    }

    /**
     * Counts the records of each key into the persistent store {@code <name>-count}, each value read with
     * {@code values} first (the bare count reads bytes, which costs nothing).
     */
    static <V> Topology countPerKey(String name, String topic, Serde<V> values) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), values).withName(name + "-source"))
            // Kafka Streams 4.3 does not pass the source's serdes to the store: name them.
            .groupByKey(Grouped.with(name + "-group", Serdes.String(), values))
            .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(name + "-count")
                .withKeySerde(Serdes.String()));
        return builder.build();
    }

    public static void main(String[] args) throws InterruptedException {
        StreamsChild.run("BareCountApp", args, BareCountApp::topology);
    }
}
