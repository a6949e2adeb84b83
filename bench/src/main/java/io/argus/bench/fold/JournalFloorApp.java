package io.argus.bench.fold;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A second baseline: a Streams app that does, per record, only what Argus's design makes durable for every event,
 * with nothing else (no decoding, no validation, no fold). It looks the record up in an id store, then writes the
 * record's bytes to a journal store and its offset to the id store, both persistent RocksDB stores with changelogs,
 * exactly-once. Between the bare count and this, the gap is what those two writes per event cost; between this and
 * Argus, what decoding, the fold and the batch and job records cost.
 *
 * <p>Arguments: bootstrap servers, topic, application id, state directory. Runs until SIGTERM.
 */
public final class JournalFloorApp {

    private JournalFloorApp() {
    }

    static Topology topology(String topic) {
        Topology topology = new Topology();
        topology.addSource("floor-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic);
        topology.addProcessor("floor-writes", JournalWrites::new, "floor-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("floor-journal"),
            Serdes.String(), Serdes.ByteArray()), "floor-writes");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("floor-ids"),
            Serdes.String(), Serdes.Long()), "floor-writes");
        return topology;
    }

    /** The id lookup and the two logged writes, keyed as Argus keys them (batch, NUL, position or id). */
    private static final class JournalWrites implements Processor<String, byte[], Void, Void> {
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> journal;
        private KeyValueStore<String, Long> ids;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.journal = context.getStateStore("floor-journal");
            this.ids = context.getStateStore("floor-ids");
        }

        @Override
        public void process(Record<String, byte[]> record) {
            long offset = context.recordMetadata().orElseThrow().offset();
            String idKey = record.key() + '\u0000' + offset;
            if (ids.get(idKey) == null) {
                ids.put(idKey, offset);
                journal.put(record.key() + '\u0000' + offset, record.value());
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        StreamsChild.run("JournalFloorApp", args, JournalFloorApp::topology);
    }
}
