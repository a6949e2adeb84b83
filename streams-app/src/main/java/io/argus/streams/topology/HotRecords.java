package io.argus.streams.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store with its most recently used records kept as objects too, so the events of a running batch do not decode
 * the same batch and job records from bytes again and again. Writes go to the store and stay here. Valid because
 * the processor that holds it is the only writer of its task's stores and the fold never changes a record it is
 * given; the processor makes a new one whenever the task is (re)initialised, since a restore or a crash recovery
 * may have replaced what the store holds.
 */
final class HotRecords<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> records;

    HotRecords(KeyValueStore<String, V> store, int capacity) {
        this.store = store;
        this.records = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The record, from here or else from the store (null when the store has none; that is not remembered). */
    V get(String key) {
        V record = records.get(key);
        if (record == null) {
            record = store.get(key);
            if (record != null) {
                records.put(key, record);
            }
        }
        return record;
    }

    void put(String key, V record) {
        store.put(key, record);
        records.put(key, record);
    }
}
