package io.argus.schemas;

import io.argus.schemas.avro.ArgusEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that names Argus's topics and says how each is written. Every record key is the batch id (UTF-8),
 * so all events of a batch land on one partition, in order.
 *
 * <p>An instance is immutable; it carries the event serde it was built with, so tests and applications can each
 * bring their own registry client.
 */
public final class ArgusTopics {

    public static final String EVENTS = "argus.events";
    public static final String DEAD_LETTERS = "argus.events.dlq";
    public static final String BATCH_VIEWS = "argus.batch-views";

    private final Topic<String, ArgusEvent> events;
    private final Topic<String, byte[]> deadLetters;
    private final Topic<String, String> batchViews;

    /** The topics under their standard names. */
    public ArgusTopics(Serde<ArgusEvent> eventSerde) {
        this(eventSerde, "");
    }

    /**
     * The topics with a prefix before each name, so that tests (or tenants) sharing one cluster stay apart.
     * The prefix is used as given, for example {@code "test-17."}.
     */
    public ArgusTopics(Serde<ArgusEvent> eventSerde, String namePrefix) {
        // The log of record: never deleted, so replaying it rebuilds every view.
        this.events = new Topic<>(namePrefix + EVENTS, Serdes.String(), eventSerde, Map.of(
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        // Dead letters keep the original bytes, since they may not deserialize at all; the reason is in headers.
        this.deadLetters = new Topic<>(namePrefix + DEAD_LETTERS, Serdes.String(), Serdes.ByteArray(), Map.of(
            TopicConfig.RETENTION_MS_CONFIG, "-1"));
        // The latest view of each batch as JSON text, for downstream consumers in any language.
        this.batchViews = new Topic<>(namePrefix + BATCH_VIEWS, Serdes.String(), Serdes.String(), Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    public Topic<String, ArgusEvent> events() {
        return events;
    }

    public Topic<String, byte[]> deadLetters() {
        return deadLetters;
    }

    public Topic<String, String> batchViews() {
        return batchViews;
    }

    public List<Topic<?, ?>> all() {
        return List.of(events, deadLetters, batchViews);
    }
}
