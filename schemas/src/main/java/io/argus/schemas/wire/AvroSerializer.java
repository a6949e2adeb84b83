package io.argus.schemas.wire;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering or looking up the record's
 * schema under the TopicNameStrategy subject. The registry client caches ids, so the hot path makes no HTTP call.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private SerdeSettings settings = SerdeSettings.defaults();
    private boolean isKey;

    /** For Kafka's class-name configuration: {@link #configure} builds the registry client from the configs. */
    public AvroSerializer() {
    }

    /** With a registry client the caller owns (and closes). */
    public AvroSerializer(SchemaRegistryClient registry, SerdeSettings settings) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.settings = SerdeSettings.fromMap(configs);
        if (registry == null) {
            registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(configs));
            ownsRegistry = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure() gave it a registry");
        }
        Schema schema = record.getSchema();
        int schemaId = schemaId(WireFormat.subject(topic, isKey), schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
        WireFormat.writeHeader(header, schemaId);
        out.writeBytes(header.array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, s -> writerFor(record)).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic
                + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject, Schema schema) {
        if (settings.autoRegister()) {
            return registry.register(subject, schema);
        }
        return registry.lookup(subject, schema).orElseThrow(() -> new SerializationException(
            "schema " + schema.getFullName() + " is not registered under subject " + subject + " and "
                + SerdeSettings.AUTO_REGISTER + " is false: register it first"));
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writerFor(T record) {
        // Generated records carry their own data model, which holds their logical-type conversions.
        GenericData model = record instanceof SpecificRecordBase specific ? specific.getSpecificData() : GenericData.get();
        return (DatumWriter<T>) model.createDatumWriter(record.getSchema());
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
