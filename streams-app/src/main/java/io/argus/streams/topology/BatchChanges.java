package io.argus.streams.topology;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells listeners in this process that the fold changed a batch (its record or one of its jobs), as soon as the
 * change is visible to interactive queries. The query service answers decision waits from it instead of polling.
 * Listeners run on the stream thread, so they must only hand the news on (complete a future, schedule a task).
 * Nobody listening costs one map lookup per folded event.
 */
public final class BatchChanges {

    private final ConcurrentHashMap<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();

    /** Listening to one batch until closed. */
    public interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls {@code listener} after every change of the batch until the returned handle is closed. */
    public Listening listen(String batchId, Runnable listener) {
        listeners.compute(batchId, (id, set) -> {
            Set<Runnable> listening = set == null ? ConcurrentHashMap.newKeySet() : set;
            listening.add(listener);
            return listening;
        });
        return () -> listeners.computeIfPresent(batchId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    void changed(String batchId) {
        Set<Runnable> interested = listeners.get(batchId);
        if (interested != null) {
            interested.forEach(Runnable::run);
        }
    }
}
