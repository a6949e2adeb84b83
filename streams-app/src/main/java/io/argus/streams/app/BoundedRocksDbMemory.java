package io.argus.streams.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of the process by one budget, {@value ArgusConfig#ROCKSDB_MEMORY_BYTES},
 * as Kafka Streams' memory-management guide shows: one LRU block cache, shared by all stores, holds the data blocks,
 * the index and filter blocks (partitioned, the top level pinned) and, through a write buffer manager charged to it,
 * the memtables. Without it each store has its own cache and memtables, and memory grows with the number of tasks.
 *
 * <p>The cache and the manager are made once per budget (a process has one) and live as long as the process: stores
 * open and close with every rebalance, the budget stays.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The share of the budget memtables may take before the largest is flushed; blocks get the rest. */
    static final double MEMTABLE_SHARE = 0.5;
    /** The share of the cache kept for index and filter blocks (high priority), so data blocks cannot evict them. */
    static final double INDEX_AND_FILTER_SHARE = 0.1;

    private static final ConcurrentMap<Long, SharedMemory> BY_BUDGET = new ConcurrentHashMap<>();

    /** The cache and write buffer manager every store of one budget shares. */
    record SharedMemory(Cache cache, WriteBufferManager writeBufferManager) {

        private static SharedMemory of(long budget) {
            // No strict capacity limit: over budget, RocksDB evicts instead of failing reads.
            Cache cache = new LRUCache(budget, -1, false, INDEX_AND_FILTER_SHARE);
            return new SharedMemory(cache, new WriteBufferManager((long) (budget * MEMTABLE_SHARE), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        SharedMemory memory = memoryFor(budget(configs));
        // Streams' own table config, not a new one: it keeps the bloom filter and block size Streams set.
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setIndexType(IndexType.kTwoLevelIndexSearch);
        table.setPartitionFilters(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memory.writeBufferManager());
    }

    /** Nothing was made for one store: the shared cache and manager must outlive it. */
    @Override
    public void close(String storeName, Options options) {
    }

    /** The budget from the Streams configuration, which carries it because {@link ArgusConfig} passes it on. */
    static long budget(Map<String, ?> configs) {
        Object value = configs.get(ArgusConfig.ROCKSDB_MEMORY_BYTES);
        if (value == null) {
            throw new IllegalArgumentException(ArgusConfig.ROCKSDB_MEMORY_BYTES + " is missing from the Streams "
                + "configuration that sets " + BoundedRocksDbMemory.class.getSimpleName());
        }
        long budget;
        try {
            budget = Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ArgusConfig.ROCKSDB_MEMORY_BYTES + " must be a number of bytes, got '"
                + value + "'", e);
        }
        if (budget <= 0) {
            throw new IllegalArgumentException(ArgusConfig.ROCKSDB_MEMORY_BYTES + " must be positive, got " + budget);
        }
        return budget;
    }

    static SharedMemory memoryFor(long budget) {
        return BY_BUDGET.computeIfAbsent(budget, SharedMemory::of);
    }
}
