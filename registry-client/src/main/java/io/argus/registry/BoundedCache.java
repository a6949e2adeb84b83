package io.argus.registry;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe map that holds at most about {@code capacity} entries: when full, it drops an arbitrary entry before
 * adding one. Registry answers it holds never change (an id always names the same schema), so any entry may go.
 */
final class BoundedCache<K, V> {

    private final int capacity;
    private final Map<K, V> entries = new ConcurrentHashMap<>();

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    V get(K key) {
        return entries.get(key);
    }

    void put(K key, V value) {
        if (!entries.containsKey(key)) {
            Iterator<K> keys = entries.keySet().iterator();
            while (entries.size() >= capacity && keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        }
        entries.put(key, value);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }
}
