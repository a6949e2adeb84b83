package io.argus.query;

import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.HistoryChunk;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.HistoryIndex;
import io.argus.streams.topology.StoreKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's stores. A store that is migrating or restoring throws {@link InvalidStateStoreException};
 * reads are retried with backoff until a deadline, then answered 503, never with a wrong 404. A scan is retried only
 * until it has handed out its first row: its visitor may have written that row to a client, and starting again would
 * write it twice. A scan that fails later throws at once (503), and the caller aborts what it was writing.
 */
final class LocalStores {

    /**
     * The waits between tries of a read (internal: a rebalance takes seconds, so these only spread the tries; the
     * operator's choice is the deadline): the first, doubled each time up to the longest.
     */
    private static final long FIRST_BACKOFF_MS = 20;
    private static final long LONGEST_BACKOFF_MS = 200;

    /** Where stores are looked up: {@link KafkaStreams#store}, by method reference. */
    @FunctionalInterface
    interface StoreLookup {
        <T> T store(StoreQueryParameters<T> parameters);
    }

    private final StoreLookup streams;
    private final Duration deadline;
    private final Optional<Integer> partition;

    /** @param deadline how long a read retries a store that is migrating or restoring ({@code argus.stores.wait.ms}) */
    LocalStores(StoreLookup streams, Duration deadline) {
        this(streams, deadline, Optional.empty());
    }

    private LocalStores(StoreLookup streams, Duration deadline, Optional<Integer> partition) {
        this.streams = streams;
        this.deadline = deadline;
        this.partition = partition;
    }

    /**
     * The stores of one partition only. Reading the owner's partition directly means a task that moved away throws
     * (and is answered 503) instead of quietly missing from a composite store (which would be a wrong 404).
     */
    LocalStores at(int partition) {
        return new LocalStores(streams, deadline, Optional.of(partition));
    }

    Optional<BatchState> batch(String batchId) {
        return Optional.ofNullable(read(ArgusTopology.BATCHES_STORE, (ReadOnlyKeyValueStore<String, BatchState> s) ->
            s.get(batchId)));
    }

    Optional<JobState> job(String batchId, String jobId) {
        return Optional.ofNullable(read(ArgusTopology.JOBS_STORE, (ReadOnlyKeyValueStore<String, JobState> s) ->
            s.get(StoreKeys.job(batchId, jobId))));
    }

    /** Visits the batch's jobs in job-id order without holding them all in memory. */
    void forEachJob(String batchId, Consumer<JobState> visitor) {
        this.<JobState>scan(ArgusTopology.JOBS_STORE,
            store -> store.prefixScan(StoreKeys.batchPrefix(batchId), Serdes.String().serializer()), visitor);
    }

    /** The chunk of the batch's history index that holds {@code position}. */
    Optional<HistoryChunk> historyChunk(String batchId, long position) {
        return Optional.ofNullable(read(ArgusTopology.HISTORY_STORE, (ReadOnlyKeyValueStore<String, HistoryChunk> s) ->
            s.get(HistoryIndex.chunkKey(batchId, position))));
    }

    /** Every batch this instance holds the active copy of. */
    void forEachBatch(Consumer<BatchState> visitor) {
        this.<BatchState>scan(ArgusTopology.BATCHES_STORE, ReadOnlyKeyValueStore::all, visitor);
    }

    /** Visits every row of the range; retried like a read until the first row is visited, never after. */
    private <V> void scan(String storeName,
                          Function<ReadOnlyKeyValueStore<String, V>, KeyValueIterator<String, V>> range,
                          Consumer<V> visitor) {
        AtomicBoolean visited = new AtomicBoolean();
        this.<V, Void>read(storeName, store -> {
            try (KeyValueIterator<String, V> rows = range.apply(store)) {
                rows.forEachRemaining(kv -> {
                    visited.set(true);
                    visitor.accept(kv.value);
                });
            } catch (InvalidStateStoreException e) {
                if (visited.get()) {
                    throw ApiException.unavailable("store " + storeName + " moved while it was read: "
                        + e.getMessage());
                }
                throw e;
            }
            return null;
        });
    }

    private <V, R> R read(String storeName, Function<ReadOnlyKeyValueStore<String, V>, R> query) {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters =
                    StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore());
                ReadOnlyKeyValueStore<String, V> store =
                    streams.store(partition.map(parameters::withPartition).orElse(parameters));
                return query.apply(store);
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() + backoff * 1_000_000 > giveUpAt) {
                    throw ApiException.unavailable("store " + storeName + " is not queryable right now: "
                        + e.getMessage());
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, LONGEST_BACKOFF_MS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for a store");
        }
    }
}
