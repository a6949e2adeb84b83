package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write-back layer on its own, over an in-memory store of bytes that counts its writes. */
class WriteBackStoreTest {

    private final CountingStore stored = new CountingStore("batches");
    private final MemoryBudget budget = new MemoryBudget(1 << 20);
    private WriteBackStore<BatchState> store;

    @BeforeEach
    void open() {
        store = storeWith(budget);
    }

    @Test
    void aRecordChangedManyTimesIsEncodedAndWrittenOncePerFlush() {
        for (int i = 0; i < 1_000; i++) {
            store.put("b", batch("b", i));
        }
        assertThat(stored.puts).as("nothing written before the flush").isZero();
        assertThat(store.get("b").getResumeCount()).as("but every change is visible").isEqualTo(999);

        store.flushCache();
        assertThat(stored.puts).isEqualTo(1);
        store.flushCache();
        assertThat(stored.puts).as("a clean record is not written again").isEqualTo(1);
        assertThat(storeWith(budget).get("b").getResumeCount()).as("the bytes hold the latest").isEqualTo(999);
    }

    @Test
    void otherThreadsSeeHeldRecordsAndScansMergeThemWithTheStoreInKeyOrder() throws Exception {
        store.put("b\u0000a", batch("a", 1));
        store.put("b\u0000c", batch("c", 1));
        store.flushCache();
        store.put("b\u0000b", batch("b", 2));
        store.put("b\u0000c", batch("c", 2));
        store.put("c\u0000x", batch("x", 2));

        List<KeyValue<String, BatchState>> scanned = CompletableFuture.supplyAsync(() -> {
            List<KeyValue<String, BatchState>> rows = new ArrayList<>();
            try (KeyValueIterator<String, BatchState> range = store.prefixScan("b\u0000",
                Serdes.String().serializer())) {
                range.forEachRemaining(rows::add);
            }
            return rows;
        }).get();

        assertThat(scanned).extracting(kv -> kv.key).containsExactly("b\u0000a", "b\u0000b", "b\u0000c");
        assertThat(scanned).extracting(kv -> kv.value.getResumeCount()).containsExactly(1, 2, 2);
        try (KeyValueIterator<String, BatchState> all = store.all()) {
            assertThat(all.hasNext()).isTrue();
            assertThat(all.peekNextKey()).isEqualTo("b\u0000a");
        }
    }

    @Test
    void initCloseAndClearDropWhatWasNotFlushed() {
        store.put("kept", batch("kept", 1));
        store.flushCache();
        store.put("kept", batch("kept", 2));
        store.put("lost", batch("lost", 1));

        store.clearCache();

        assertThat(store.get("kept").getResumeCount()).as("the logged store is the truth again").isEqualTo(1);
        assertThat(store.get("lost")).isNull();
        assertThat(budget.used()).isZero();

        store.put("lost", batch("lost", 1));
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        assertThat(store.get("lost")).isNull();
    }

    @Test
    void overTheBudgetTheLeastRecentlyUsedRecordsAreWrittenThroughAndLetGo() {
        MemoryBudget small = new MemoryBudget(10_000);
        WriteBackStore<BatchState> bounded = storeWith(small);
        for (int i = 0; i < 100; i++) {
            bounded.put("b" + i, batch("b" + i, i));
        }
        assertThat(small.used()).isLessThanOrEqualTo(10_000);
        assertThat(stored.puts).as("written through, not lost").isGreaterThan(80);
        for (int i = 0; i < 100; i++) {
            assertThat(bounded.get("b" + i).getResumeCount()).isEqualTo(i);
        }
        bounded.flushCache();
        assertThat(storeWith(small).get("b99").getResumeCount()).isEqualTo(99);
    }

    private WriteBackStore<BatchState> storeWith(MemoryBudget memory) {
        KeyValueBytesStoreSupplier supplier = new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return stored.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return stored;
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
        KeyValueStore<String, byte[]> bytes = Stores.keyValueStoreBuilder(supplier, Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        WriteBackStore<BatchState> created = new WriteBackStore<>(bytes, new StateSerde<>(BatchState::new), memory);
        created.init(new MockProcessorContext<>().getStateStoreContext(), created);
        return created;
    }

    private static BatchState batch(String id, int resumes) {
        return BatchState.newBuilder().setBatchId(id).setStatus(BatchStatus.running).setResumeCount(resumes)
            .setCommand("x".repeat(200)).build();
    }

    /** Counts the writes that reach the bytes. */
    private static final class CountingStore extends InMemoryKeyValueStore {
        int puts;

        CountingStore(String name) {
            super(name);
        }

        @Override
        public synchronized void put(Bytes key, byte[] value) {
            puts++;
            super.put(key, value);
        }
    }
}
