package io.argus.streams.topology;

import io.argus.schemas.AvroTrust;
import io.argus.streams.fold.Records;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the fold's state records in RocksDB and their changelogs: a format byte, then Avro binary with the
 * record's own schema. State never leaves the application, so it needs no registry; a rule or layout change is
 * rolled out by rebuilding under a new application id, and the format byte lets a reader refuse what it cannot
 * read instead of misreading it.
 *
 * <p>It runs for every store read and write of every event, so it uses the code Avro generates for each record
 * ({@code customEncode}, {@code customDecode}) instead of walking the schema: that was the largest single cost of
 * the fold (docs/benchmarks.md). Deterministic: equal records always give the same bytes, because the map fields of
 * top-level records are written in key order (decoded into sorted maps, and sorted before writing when they are
 * not); the nested records have no maps.
 */
public final class StateSerde<T extends SpecificRecordBase> implements Serde<T> {

    /**
     * The layout of the state records. 2: the fold keeps the log once (history index, attempt marks, no journal or
     * event-ids store). 3: attempts keep their start, end and outcome; resumes keep when the batch went quiet.
     * Records of another layout are refused, never misread: roll out by a rebuild.
     */
    public static final byte FORMAT = 3;

    private final Supplier<T> prototype;
    private final Schema schema;
    private final List<Integer> mapFields;
    private final DatumReader<T> reader;

    @SuppressWarnings("unchecked")
    public StateSerde(Supplier<T> prototype) {
        AvroTrust.trustGeneratedClasses();
        T instance = prototype.get();
        this.prototype = prototype;
        this.schema = instance.getSchema();
        this.mapFields = schema.getFields().stream().filter(f -> f.schema().getType() == Schema.Type.MAP)
            .map(Schema.Field::pos).toList();
        SpecificData model = new SpecificData(instance.getClass().getClassLoader());
        model.setCustomCoders(true);
        // The fast reader builds records its own way and would skip customDecode.
        model.setFastReaderEnabled(false);
        this.reader = (DatumReader<T>) model.createDatumReader(schema);
    }

    /** Each serializer has its own buffer: Streams makes one per store instance, and a store has one thread. */
    @Override
    public Serializer<T> serializer() {
        Encoder encoder = encoder();
        return (topic, record) -> record == null ? null : encoder.encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    /** An encoder with its own reused buffer, for one thread at a time. */
    Encoder encoder() {
        return new Encoder();
    }

    /** The record itself when its maps iterate in key order; otherwise a shallow copy whose maps do. */
    @SuppressWarnings("unchecked")
    private T withSortedMaps(T record) {
        T sorted = record;
        for (int field : mapFields) {
            Map<String, ?> map = (Map<String, ?>) record.get(field);
            if (map != null && map.size() > 1 && !(map instanceof SortedMap)) {
                if (sorted == record) {
                    sorted = Records.shallowCopy(record, prototype.get());
                }
                sorted.put(field, new TreeMap<>(map));
            }
        }
        return sorted;
    }

    T decode(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new SerializationException("state record of " + schema.getName() + " has format "
                + (bytes.length == 0 ? "none" : bytes[0]) + ", this version reads " + FORMAT
                + ": rebuild the state under a new application id");
        }
        // customDecode fills the maps it finds: sorted ones, so that writing the record back keeps key order.
        T fresh = prototype.get();
        for (int field : mapFields) {
            fresh.put(field, new TreeMap<>());
        }
        try {
            return reader.read(fresh, DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("corrupt state record of " + schema.getName(), e);
        }
    }

    /** Encodes records of this serde's type into a buffer it reuses: not for two threads at once. */
    final class Encoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private BinaryEncoder binary;

        byte[] encode(T record) {
            out.reset();
            out.write(FORMAT);
            binary = EncoderFactory.get().binaryEncoder(out, binary);
            try {
                withSortedMaps(record).customEncode(binary);
                binary.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
