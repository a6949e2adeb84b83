package io.argus.streams.topology;

import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link WriteBackStore} over a persistent, logged RocksDB store of bytes, without Kafka Streams' own
 * record cache (the write-back layer takes its place, one level up, on objects). The store's name, and so its
 * changelog topic's, is the one given.
 */
final class WriteBackStoreBuilder<V extends SpecificRecordBase> implements StoreBuilder<WriteBackStore<V>> {

    private final StoreBuilder<KeyValueStore<String, byte[]>> bytes;
    private final StateSerde<V> serde;
    private final MemoryBudget budget;

    WriteBackStoreBuilder(String name, StateSerde<V> serde, MemoryBudget budget) {
        this.bytes = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
            Serdes.ByteArray());
        this.serde = serde;
        this.budget = budget;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withCachingEnabled() {
        throw new UnsupportedOperationException("a write-back store holds its records itself: no record cache");
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withLoggingEnabled(Map<String, String> config) {
        bytes.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withLoggingDisabled() {
        throw new UnsupportedOperationException("the fold's stores are rebuilt from their changelogs: keep logging");
    }

    @Override
    public WriteBackStore<V> build() {
        return new WriteBackStore<>(bytes.build(), serde, budget);
    }

    @Override
    public Map<String, String> logConfig() {
        return bytes.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return bytes.loggingEnabled();
    }

    @Override
    public String name() {
        return bytes.name();
    }
}
