package io.argus.streams.topology;

import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.HistoryChunk;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology, built as a pure description: it does no I/O and starts nothing. Every source, processor, sink and
 * store has a fixed name, since names become changelog topics and renaming one is an upgrade decision
 * ({@code ArgusTopologyTest} pins them).
 *
 * <pre>
 * argus.events --> [argus-events-source] --> [argus-fold] --+--> [argus-batch-views-sink] --> argus.batch-views
 *                                            (batches, jobs,  +--> [argus-dead-letters-sink] --> argus.events.dlq
 *                                             history,        +--> [argus-reroute-sink] --> argus.events
 *                                             pending-views)       (to the partition that owns the batch)
 * </pre>
 *
 * <p>The re-route sink writes events that arrived on a partition not owning their batch back to the event log, on
 * the owner partition ({@link EventPlacement}, {@link FoldProcessor}).
 *
 * <p>The batch, job and history stores are {@link WriteBackStore}s: a batch's record changes with nearly every
 * event and a job's with each of its events, and the write-back layer keeps them as objects until the commit, then
 * encodes and writes each once: one RocksDB write and one changelog record per commit. Interactive queries read
 * through it, so they see every change at once. The events themselves are not copied: the log is the journal.
 */
public final class ArgusTopology {

    public static final String SOURCE = "argus-events-source";
    public static final String FOLD = "argus-fold";
    public static final String BATCH_VIEWS_SINK = "argus-batch-views-sink";
    public static final String DEAD_LETTER_SINK = "argus-dead-letters-sink";
    public static final String REROUTE_SINK = "argus-reroute-sink";

    /** batch_id -> the batch record. */
    public static final String BATCHES_STORE = "batches";
    /** batch_id NUL job_id -> the job record. */
    public static final String JOBS_STORE = "jobs";
    /** batch_id NUL chunk number -> a chunk of the batch's history index ({@link HistoryIndex}). */
    public static final String HISTORY_STORE = "history";
    /** batch_id -> the time of its latest change whose view is not published yet ({@link FoldProcessor}). */
    public static final String PENDING_VIEWS_STORE = "pending-views";

    private ArgusTopology() {
    }

    /**
     * @param topics the topic names (a prefix isolates tests)
     * @param events decodes the event log (holds the registry client; the caller owns and closes it)
     * @param counters where the fold counts what it did
     * @param changes   where the fold tells listeners in this process which batch it changed
     * @param viewInterval how often the views of changed batches are published
     * @param budget how much the write-back stores of this process may hold between commits
     * @param placement which partition owns a batch, and which misplaced events already have a copy
     */
    public static Topology build(ArgusTopics topics, Deserializer<ArgusEvent> events, FoldCounters counters,
                                 BatchChanges changes, Duration viewInterval, MemoryBudget budget,
                                 EventPlacement placement) {
        ReroutedProducers warned = new ReroutedProducers();
        Topology topology = new Topology();
        // The value is decoded inside the processor, so bad bytes reach the dead-letter path with their offset.
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
            topics.events().name());
        topology.addProcessor(FOLD, () -> new FoldProcessor(events, counters, changes, viewInterval, placement,
            warned), SOURCE);
        topology.addStateStore(new WriteBackStoreBuilder<>(BATCHES_STORE, new StateSerde<>(BatchState::new), budget),
            FOLD);
        topology.addStateStore(new WriteBackStoreBuilder<>(JOBS_STORE, new StateSerde<>(JobState::new), budget), FOLD);
        topology.addStateStore(new WriteBackStoreBuilder<>(HISTORY_STORE, new StateSerde<>(HistoryChunk::new),
            budget), FOLD);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_VIEWS_STORE),
            Serdes.String(), Serdes.Long()).withCachingEnabled(), FOLD);
        topology.addSink(BATCH_VIEWS_SINK, topics.batchViews().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer(), FOLD);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetters().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer(), FOLD);
        topology.addSink(REROUTE_SINK, topics.events().name(), Serdes.String().serializer(),
            Serdes.ByteArray().serializer(),
            (topic, key, value, partitions) -> Optional.of(Set.of(EventPlacement.owner(key, partitions))), FOLD);
        return topology;
    }
}
