package io.argus.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void neverHoldsMoreThanItsCapacity() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(3);
        for (int i = 0; i < 10; i++) {
            cache.put(i, "v" + i);
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get(9)).isEqualTo("v9");
    }

    @Test
    void replacingAnEntryDoesNotEvict() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(2);
        cache.put(1, "a");
        cache.put(2, "b");
        cache.put(2, "c");
        assertThat(cache.get(1)).isEqualTo("a");
        assertThat(cache.get(2)).isEqualTo("c");
    }

    @Test
    void staysBoundedUnderConcurrentWriters() throws Exception {
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w * 10_000;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        cache.put(offset + i, i);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100 + 4);
    }
}
