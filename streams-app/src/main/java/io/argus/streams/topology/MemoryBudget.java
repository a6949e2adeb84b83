package io.argus.streams.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much heap the fold's {@link WriteBackStore}s of one process may hold between commits, shared by all of them
 * (every task and stream thread). A held record is counted as {@link #HEAP_PER_ENCODED_BYTE} times its encoded size,
 * about what its Java objects take (strings, maps and boxed values); counting encoded bytes alone let a 64 MiB
 * budget hold some 300 MB of heap and run a 256 MiB heap out of memory.
 */
public final class MemoryBudget {

    /** Heap bytes a held record is counted at, per byte of its encoding. */
    static final int HEAP_PER_ENCODED_BYTE = 5;

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a memory budget of " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    /** What a record of {@code encodedBytes} is counted at. */
    static int heapBytes(int encodedBytes) {
        return encodedBytes * HEAP_PER_ENCODED_BYTE;
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
