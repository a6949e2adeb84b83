package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.IndexType;
import org.rocksdb.Options;

class BoundedRocksDbMemoryTest {

    private final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

    @Test
    void theBudgetComesFromTheConfigurationStreamsHandsTheSetter() {
        ArgusConfig config = ArgusConfig.load(Optional.empty(), Map.of("ARGUS_ROCKSDB_MEMORY_BYTES", "33554432"));

        assertThat(config.streamsProperties())
            .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName())
            .containsEntry(ArgusConfig.ROCKSDB_MEMORY_BYTES, "33554432");
        assertThat(BoundedRocksDbMemory.budget(Map.of(ArgusConfig.ROCKSDB_MEMORY_BYTES, "33554432")))
            .isEqualTo(32L << 20);
        assertThat(BoundedRocksDbMemory.budget(ArgusConfig.load(Optional.empty(), Map.of()).asMap()))
            .as("the default").isEqualTo(64L << 20);
    }

    @Test
    void aBadBudgetIsRefusedWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> BoundedRocksDbMemory.budget(Map.of(ArgusConfig.ROCKSDB_MEMORY_BYTES, "64MB")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("argus.rocksdb.memory.bytes must be a number of bytes, got '64MB'");
        assertThatThrownBy(() -> BoundedRocksDbMemory.budget(Map.of(ArgusConfig.ROCKSDB_MEMORY_BYTES, "0")))
            .hasMessage("argus.rocksdb.memory.bytes must be positive, got 0");
        assertThatThrownBy(() -> BoundedRocksDbMemory.budget(Map.of())).hasMessageContaining("is missing");
    }

    @Test
    void everyStoreSharesOneCacheAndOneWriteBufferManager() {
        Map<String, Object> configs = Map.of(ArgusConfig.ROCKSDB_MEMORY_BYTES, Long.toString(48L << 20));
        try (Options batches = streamsDefaults(); Options jobs = streamsDefaults()) {
            setter.setConfig("batches", batches, configs);
            setter.setConfig("jobs", jobs, configs);

            assertThat(blockCache(batches)).isNotNull().isSameAs(blockCache(jobs));
            assertThat(batches.writeBufferManager()).isNotNull().isSameAs(jobs.writeBufferManager());
            BlockBasedTableConfig table = (BlockBasedTableConfig) batches.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(table.indexType()).isEqualTo(IndexType.kTwoLevelIndexSearch);
            assertThat(table.partitionFilters()).isTrue();

            setter.close("batches", batches);
            assertThat(blockCache(jobs).isOwningHandle()).as("a closed store leaves the shared cache open").isTrue();
        }
    }

    /** As RocksDBStore hands options to a setter: its own table config, whose cache can be read back. */
    private static Options streamsDefaults() {
        Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfigWithAccessibleCache());
        return options;
    }

    private static org.rocksdb.Cache blockCache(Options options) {
        return ((BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig()).blockCache();
    }
}
