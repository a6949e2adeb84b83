package io.argus.streams.topology;

import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JournalEntry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology, built as a pure description: it does no I/O and starts nothing. Every source, processor, sink and
 * store has a fixed name, since names become changelog topics and renaming one is an upgrade decision
 * ({@code ArgusTopologyTest} pins them).
 *
 * <pre>
 * argus.events --> [argus-events-source] --> [argus-fold] --+--> [argus-batch-views-sink] --> argus.batch-views
 *                                            (batches, jobs,  +--> [argus-dead-letters-sink] --> argus.events.dlq
 *                                             journal, event-ids,
 *                                             pending-views)
 * </pre>
 *
 * <p>The batch and job stores keep Kafka Streams' record cache: a batch's record changes with nearly every event
 * and a job's with each of its events, and the cache turns those runs of writes into one RocksDB write and one
 * changelog record per commit. Interactive queries read through the cache, so they see every change at once.
 */
public final class ArgusTopology {

    public static final String SOURCE = "argus-events-source";
    public static final String FOLD = "argus-fold";
    public static final String BATCH_VIEWS_SINK = "argus-batch-views-sink";
    public static final String DEAD_LETTER_SINK = "argus-dead-letters-sink";

    /** batch_id -> the batch record. */
    public static final String BATCHES_STORE = "batches";
    /** batch_id NUL job_id -> the job record. */
    public static final String JOBS_STORE = "jobs";
    /** batch_id NUL partition-offset -> the event as logged, with its effect. */
    public static final String JOURNAL_STORE = "journal";
    /** batch_id NUL event_id -> offset: the ids applied, so a re-sent event changes nothing. */
    public static final String EVENT_IDS_STORE = "event-ids";
    /** batch_id -> the time of its latest change whose view is not published yet ({@link FoldProcessor}). */
    public static final String PENDING_VIEWS_STORE = "pending-views";

    private ArgusTopology() {
    }

    /**
     * @param topics the topic names (a prefix isolates tests)
     * @param events decodes the event log (holds the registry client; the caller owns and closes it)
     * @param counters where the fold counts what it did
     * @param viewInterval how often the views of changed batches are published
     */
    public static Topology build(ArgusTopics topics, Deserializer<ArgusEvent> events, FoldCounters counters,
                                 Duration viewInterval) {
        Topology topology = new Topology();
        // The value is decoded inside the processor, so bad bytes reach the dead-letter path with their offset.
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
            topics.events().name());
        topology.addProcessor(FOLD, () -> new FoldProcessor(events, counters, viewInterval), SOURCE);
        topology.addStateStore(store(BATCHES_STORE, new StateSerde<>(BatchState::new)).withCachingEnabled(), FOLD);
        topology.addStateStore(store(JOBS_STORE, new StateSerde<>(JobState::new)).withCachingEnabled(), FOLD);
        // Each key is written once: a cache would only hold them longer.
        topology.addStateStore(store(JOURNAL_STORE, new StateSerde<>(JournalEntry::new)), FOLD);
        topology.addStateStore(store(EVENT_IDS_STORE, Serdes.Long()), FOLD);
        topology.addStateStore(store(PENDING_VIEWS_STORE, Serdes.Long()).withCachingEnabled(), FOLD);
        topology.addSink(BATCH_VIEWS_SINK, topics.batchViews().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer(), FOLD);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetters().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer(), FOLD);
        return topology;
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
