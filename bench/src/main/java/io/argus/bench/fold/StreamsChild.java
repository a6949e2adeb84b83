package io.argus.bench.fold;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The main of a baseline Streams app in a child JVM: arguments bootstrap servers, topic, application id, state
 * directory; exactly-once like Argus; runs until SIGTERM, then leaves its group.
 */
final class StreamsChild {

    private StreamsChild() {
    }

    static void run(String name, String[] args, Function<String, Topology> topology) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: " + name + " <bootstrap servers> <topic> <application id> <state dir>");
            System.exit(2);
        }
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, args[2]);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, args[3]);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        KafkaStreams streams = new KafkaStreams(topology.apply(args[1]), properties);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
            stopped.countDown();
        }, name + "-shutdown"));
        streams.start();
        stopped.await();
    }
}
