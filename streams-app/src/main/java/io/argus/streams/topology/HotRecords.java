package io.argus.streams.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The most recently used records of one store, as objects, so the events of a running batch do not decode the same
 * batch and job records from bytes again and again. Valid because the processor that holds it is the only writer of
 * its task's stores and the fold never changes a record it is given; it is emptied whenever the task is
 * (re)initialised, since a restore or a crash recovery may have replaced what the stores hold.
 */
final class HotRecords<V> {

    private final Map<String, V> records;

    HotRecords(int capacity) {
        this.records = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The record, from here or else from the store (null when the store has none; that is not remembered). */
    V get(String key, Function<String, V> store) {
        V record = records.get(key);
        if (record == null) {
            record = store.apply(key);
            if (record != null) {
                records.put(key, record);
            }
        }
        return record;
    }

    /** What was just written to the store. */
    void put(String key, V record) {
        records.put(key, record);
    }

    void clear() {
        records.clear();
    }
}
