package io.argus.query;

import java.util.OptionalDouble;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How far this instance's fold is behind the event log: the largest {@code records-lag} of the main consumers'
 * partitions of the events topic. Restore consumers are left out (they report NaN outside restoration).
 */
final class FoldLag {

    private FoldLag() {
    }

    /** The largest known lag, or empty before the first fetch reported one. */
    static OptionalDouble max(KafkaStreams streams, String eventsTopic) {
        double max = Double.NaN;
        for (var entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!name.name().equals("records-lag") || !name.group().equals("consumer-fetch-manager-metrics")
                || !eventsTopic.equals(name.tags().get("topic"))
                || name.tags().getOrDefault("client-id", "").contains("restore-consumer")) {
                continue;
            }
            Object value = ((Metric) entry.getValue()).metricValue();
            if (value instanceof Double lag && !lag.isNaN()) {
                max = Double.isNaN(max) ? lag : Math.max(max, lag);
            }
        }
        return Double.isNaN(max) ? OptionalDouble.empty() : OptionalDouble.of(max);
    }
}
