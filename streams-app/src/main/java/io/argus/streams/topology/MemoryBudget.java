package io.argus.streams.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes the fold's {@link WriteBackStore}s of one process may hold between commits, shared by all of them
 * (every task and stream thread). Counted by the records' encoded size; a Java object takes a few times that.
 */
public final class MemoryBudget {

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a memory budget of " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    void take(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    boolean isOver() {
        return used.get() > maxBytes;
    }

    /** Bytes held now, for metrics and tests. */
    public long used() {
        return used.get();
    }
}
