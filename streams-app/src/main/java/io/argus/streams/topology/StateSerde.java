package io.argus.streams.topology;

import io.argus.schemas.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the fold's state records in RocksDB and their changelogs: a format byte, then Avro binary with the
 * record's own schema. State never leaves the application, so it needs no registry; a rule or layout change is
 * rolled out by rebuilding under a new application id, and the format byte lets a reader refuse what it cannot
 * read instead of misreading it. Deterministic: equal records always give the same bytes, since map entries are
 * written in key order whatever map the record holds (Avro's own copies and reads produce hash maps).
 */
public final class StateSerde<T extends SpecificRecordBase> implements Serde<T> {

    static {
        AvroTrust.trustGeneratedClasses();
    }

    static final byte FORMAT_V1 = 1;

    private final Schema schema;
    private final DatumWriter<T> writer;
    private final DatumReader<T> reader;

    @SuppressWarnings("unchecked")
    public StateSerde(Supplier<T> prototype) {
        T instance = prototype.get();
        SpecificData model = instance.getSpecificData();
        this.schema = instance.getSchema();
        this.writer = new KeyOrderedWriter<>(schema, model);
        this.reader = (DatumReader<T>) model.createDatumReader(schema);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    private byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(FORMAT_V1);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes maps in key order, so the bytes do not depend on a hash map's iteration order. */
    private static final class KeyOrderedWriter<T> extends SpecificDatumWriter<T> {

        KeyOrderedWriter(Schema schema, SpecificData model) {
            super(schema, model);
        }

        @Override
        protected Iterable<Map.Entry<Object, Object>> getMapEntries(Object map) {
            List<Map.Entry<Object, Object>> entries = new ArrayList<>();
            super.getMapEntries(map).forEach(entries::add);
            entries.sort(Comparator.comparing(entry -> entry.getKey().toString()));
            return entries;
        }
    }

    private T decode(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
            throw new SerializationException("state record of " + schema.getName() + " has format "
                + (bytes.length == 0 ? "none" : bytes[0]) + ", this version reads " + FORMAT_V1
                + ": rebuild the state under a new application id");
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
        } catch (IOException e) {
            throw new SerializationException("corrupt state record of " + schema.getName(), e);
        }
    }
}
