package io.argus.streams.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The fold's records as objects between commits, over a logged store of their bytes. The processor reads a record
 * once ({@link #load}), replaces it as often as events change it ({@link #put}: an object put, nothing encoded),
 * and the records changed since the last commit are encoded and written once each when Streams flushes before the
 * commit ({@link #flushCache}). So an event costs map operations, and a running batch's record costs one encode,
 * one RocksDB write and one changelog record per commit, not per event.
 *
 * <p>It implements Kafka Streams' {@code CachedStateStore} because that is the hook Streams calls, on the stream
 * thread, before it commits a task's transaction (and {@code clearCache} when it recycles a task); the records
 * flushed there go into the transaction being committed. Everything held is dropped on every init, close and
 * clear: after an exactly-once dirty close, a revival or a recycle, the logged store is the only truth.
 *
 * <p>Interactive queries read from other threads, through {@link #get} and the range scans: the held records win
 * over the store's, so a query sees every change as soon as the fold made it. Held records are never changed in
 * place (the fold makes new ones), and a record leaves the map only after its bytes are in the store, so a reader
 * that misses it here finds it there. Held records are found by hash; only the keys changed since the last flush are
 * also kept in key order, for range scans (a clean held record equals the stored one, so scans need only those).
 * A scan takes its snapshot of them before it opens the store's iterator, for the same reason as above.
 *
 * <p>Held records count against a {@link MemoryBudget} shared by every such store of the process, by an estimate of
 * their heap size. Over the budget, the least recently used records are written through (when changed) and let go.
 *
 * <p>Only the stream thread of the task calls {@link #load}, {@link #put}, {@link #delete} and the lifecycle methods.
 */
public final class WriteBackStore<V extends SpecificRecordBase> implements KeyValueStore<String, V>, CachedStateStore<String, V> {

    /** RocksDB orders keys by their UTF-8 bytes, which is the order of their code points. */
    static final Comparator<String> STORE_ORDER = WriteBackStore::compareCodePoints;
    /** What a changed record is assumed to weigh until it is encoded, when it was never read from the store. */
    private static final int UNKNOWN_SIZE = MemoryBudget.heapBytes(1_024);

    private final KeyValueStore<String, byte[]> bytes;
    private final StateSerde<V> serde;
    /** Stream thread only: writes happen at flushes and evictions. */
    private final StateSerde<V>.Encoder encoder;
    private final MemoryBudget budget;
    /** Read by any thread: the records held, by key, with whether they changed since the last flush. */
    private final ConcurrentHashMap<String, Held<V>> held = new ConcurrentHashMap<>();
    /** Read by any thread: the keys whose record changed since the last flush, in the store's order. */
    private final ConcurrentSkipListSet<String> dirty = new ConcurrentSkipListSet<>(STORE_ORDER);
    /** Stream thread only: the held keys, least recently used first. */
    private final LinkedHashMap<String, Boolean> recency = new LinkedHashMap<>(1_024, 0.75f, true);
    private long heldBytes;

    /** A held record: immutable, so readers on other threads see a whole one. */
    private record Held<V>(V value, int size, boolean dirty) {
    }

    WriteBackStore(KeyValueStore<String, byte[]> bytes, StateSerde<V> serde, MemoryBudget budget) {
        this.bytes = bytes;
        this.serde = serde;
        this.encoder = serde.encoder();
        this.budget = budget;
    }

    /**
     * The write-back store behind what {@code ProcessorContext.getStateStore} gives a processor: Streams hands out
     * a decorator that forwards only the {@link KeyValueStore} methods, and the processor needs {@link #load}.
     */
    @SuppressWarnings("unchecked")
    static <V extends SpecificRecordBase> WriteBackStore<V> behind(StateStore store) {
        StateStore inner = store;
        while (!(inner instanceof WriteBackStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
            inner = wrapper.wrapped();
        }
        if (!(inner instanceof WriteBackStore<?> writeBack)) {
            throw new IllegalStateException("store " + store.name() + " is not a write-back store");
        }
        return (WriteBackStore<V>) writeBack;
    }

    /** Stream thread: the record, held from now on (null when there is none; that is not held). */
    public V load(String key) {
        Held<V> found = held.get(key);
        if (found != null) {
            recency.get(key);
            return found.value();
        }
        byte[] stored = bytes.get(key);
        if (stored == null) {
            return null;
        }
        V value = serde.decode(stored);
        hold(key, new Held<>(value, MemoryBudget.heapBytes(stored.length), false));
        shrinkToBudget();
        return value;
    }

    /** Stream thread: replaces the record; it is encoded and written at the next flush (or when over budget). */
    @Override
    public void put(String key, V value) {
        Held<V> before = held.get(key);
        hold(key, new Held<>(value, before == null ? UNKNOWN_SIZE : before.size(), true));
        if (before == null || !before.dirty()) {
            dirty.add(key);
        }
        shrinkToBudget();
    }

    /** Any thread: the latest record, held or stored; holds nothing. */
    @Override
    public V get(String key) {
        Held<V> found = held.get(key);
        if (found != null) {
            return found.value();
        }
        byte[] stored = bytes.get(key);
        return stored == null ? null : serde.decode(stored);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = load(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        V existing = load(key);
        bytes.delete(key);
        release(key);
        return existing;
    }

    /** Before Streams commits the task: every changed record, encoded and written once. */
    @Override
    public void flushCache() {
        // Each key leaves the dirty set only once its bytes are in the store, so a scan never misses the change.
        for (Iterator<String> keys = dirty.iterator(); keys.hasNext(); ) {
            String key = keys.next();
            Held<V> changed = held.get(key);
            Held<V> clean = new Held<>(changed.value(), MemoryBudget.heapBytes(write(key, changed.value())), false);
            held.put(key, clean);
            keys.remove();
            account(changed.size(), clean.size());
        }
        shrinkToBudget();
    }

    @Override
    public void clearCache() {
        drop();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        drop();
        bytes.init(context, root);
    }

    @Override
    public void close() {
        drop();
        bytes.close();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        bytes.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return bytes.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return bytes.managesOffsets();
    }

    @Override
    public String name() {
        return bytes.name();
    }

    @Override
    public boolean persistent() {
        return bytes.persistent();
    }

    @Override
    public boolean isOpen() {
        return bytes.isOpen();
    }

    @Override
    public Position getPosition() {
        return bytes.getPosition();
    }

    @Override
    public long approximateNumEntries() {
        return bytes.approximateNumEntries() + dirty.size();
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        NavigableSet<String> view = from == null && to == null ? dirty
            : from == null ? dirty.headSet(to, true) : to == null ? dirty.tailSet(from, true)
            : dirty.subSet(from, true, to, true);
        return merged(changed(view, key -> true), () -> bytes.range(from, to));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return merged(changed(dirty, key -> true), bytes::all);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        if (!(prefix instanceof String start)) {
            throw new IllegalArgumentException("keys of " + name() + " are strings, got a prefix of "
                + (prefix == null ? "null" : prefix.getClass().getName()));
        }
        return merged(changed(dirty.tailSet(start, true), key -> key.startsWith(start)),
            () -> bytes.prefixScan(prefix, prefixKeySerializer));
    }

    /**
     * The changed records of a key-ordered view of {@link #dirty}, up to the first key outside it, copied now. A
     * key flushed and let go meanwhile has no record here any more, and its bytes are in the store.
     */
    private List<KeyValue<String, V>> changed(NavigableSet<String> view, Predicate<String> inside) {
        List<KeyValue<String, V>> snapshot = new ArrayList<>();
        for (String key : view) {
            if (!inside.test(key)) {
                break;
            }
            Held<V> record = held.get(key);
            if (record != null) {
                snapshot.add(KeyValue.pair(key, record.value()));
            }
        }
        return snapshot;
    }

    /** A snapshot of held records merged with the store's, whose iterator opens only after the snapshot was taken. */
    private KeyValueIterator<String, V> merged(List<KeyValue<String, V>> snapshot,
                                               Supplier<KeyValueIterator<String, byte[]>> stored) {
        return new MergedIterator<>(snapshot.iterator(), stored.get(), serde);
    }

    private int write(String key, V value) {
        byte[] encoded = encoder.encode(value);
        bytes.put(key, encoded);
        return encoded.length;
    }

    private void hold(String key, Held<V> record) {
        Held<V> before = held.put(key, record);
        recency.put(key, Boolean.TRUE);
        account(before == null ? 0 : before.size(), record.size());
    }

    /** Over the budget: the least recently used records go, written first when they changed. */
    private void shrinkToBudget() {
        Iterator<String> eldest = recency.keySet().iterator();
        while (budget.isOver() && eldest.hasNext()) {
            String key = eldest.next();
            Held<V> record = held.get(key);
            if (record.dirty()) {
                write(key, record.value());
                dirty.remove(key);
            }
            eldest.remove();
            held.remove(key);
            account(record.size(), 0);
        }
    }

    private void release(String key) {
        Held<V> record = held.remove(key);
        recency.remove(key);
        dirty.remove(key);
        if (record != null) {
            account(record.size(), 0);
        }
    }

    private void drop() {
        held.clear();
        recency.clear();
        dirty.clear();
        budget.release(heldBytes);
        heldBytes = 0;
    }

    private void account(int before, int after) {
        heldBytes += after - before;
        budget.take(after - before);
    }

    /**
     * Code point order from UTF-16 units: the two differ only where a surrogate (a code point above U+FFFF) meets a
     * unit from U+E000 to U+FFFF, which code point order puts first.
     */
    private static int compareCodePoints(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE
                    ? Integer.compare(surrogatesLast(x), surrogatesLast(y)) : x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int surrogatesLast(char unit) {
        return unit > Character.MAX_SURROGATE ? unit - 0x800 : unit + 0x2000;
    }

    /** Two key-ordered iterators as one; on equal keys the held record wins. */
    private static final class MergedIterator<V extends SpecificRecordBase> implements KeyValueIterator<String, V> {
        private final Iterator<KeyValue<String, V>> heldRecords;
        private final KeyValueIterator<String, byte[]> stored;
        private final StateSerde<V> serde;
        private KeyValue<String, V> nextHeld;

        MergedIterator(Iterator<KeyValue<String, V>> heldRecords, KeyValueIterator<String, byte[]> stored,
                       StateSerde<V> serde) {
            this.heldRecords = heldRecords;
            this.stored = stored;
            this.serde = serde;
            this.nextHeld = heldRecords.hasNext() ? heldRecords.next() : null;
        }

        @Override
        public boolean hasNext() {
            return nextHeld != null || stored.hasNext();
        }

        @Override
        public KeyValue<String, V> next() {
            if (!stored.hasNext()) {
                return takeHeld();
            }
            String storedKey = stored.peekNextKey();
            int order = nextHeld == null ? 1 : STORE_ORDER.compare(nextHeld.key, storedKey);
            if (order < 0) {
                return takeHeld();
            }
            KeyValue<String, byte[]> fromStore = stored.next();
            if (order == 0) {
                return takeHeld();
            }
            return KeyValue.pair(fromStore.key, serde.decode(fromStore.value));
        }

        private KeyValue<String, V> takeHeld() {
            if (nextHeld == null) {
                throw new NoSuchElementException();
            }
            KeyValue<String, V> taken = nextHeld;
            nextHeld = heldRecords.hasNext() ? heldRecords.next() : null;
            return taken;
        }

        @Override
        public String peekNextKey() {
            if (!stored.hasNext()) {
                if (nextHeld == null) {
                    throw new NoSuchElementException();
                }
                return nextHeld.key;
            }
            String storedKey = stored.peekNextKey();
            return nextHeld != null && STORE_ORDER.compare(nextHeld.key, storedKey) <= 0 ? nextHeld.key : storedKey;
        }

        @Override
        public void close() {
            stored.close();
        }
    }
}
