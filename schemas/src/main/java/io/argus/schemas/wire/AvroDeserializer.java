package io.argus.schemas.wire;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.registry.SchemaRegistryException;
import io.argus.schemas.AvroTrust;
import io.argus.schemas.SchemaEvolution;
import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro: takes the writer schema id from the header, fetches that schema from the registry
 * (once; readers are cached per id) and resolves it against the reader schema this deserializer was made for.
 *
 * <p>Every way the bytes can be wrong raises {@link InvalidEventBytesException} with its reason; a registry that
 * cannot be reached raises {@link SchemaRegistryException} instead, because the bytes may well be fine.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    static {
        AvroTrust.trustGeneratedClasses();
    }

    private final Schema readerSchema;
    private final GenericData model;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;

    /** For configuration by Kafka: {@link #configure} builds the registry client. */
    protected AvroDeserializer(Schema readerSchema, GenericData model) {
        this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * @param registry     a client the caller owns (and closes)
     * @param readerSchema the schema to read as
     * @param model        {@code SpecificData} of the generated classes, or {@code GenericData} for generic records
     */
    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema, GenericData model) {
        this(readerSchema, model);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(configs));
            ownsRegistry = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure() gave it a registry");
        }
        int schemaId = WireFormat.readSchemaId(data);
        DatumReader<T> reader = readers.computeIfAbsent(schemaId, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get()
            .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        T record;
        try {
            record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidEventBytesException(Reason.CORRUPT_PAYLOAD, schemaId,
                    "bytes left over after the record", null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidEventBytesException invalid) {
                throw invalid;
            }
            // Avro signals bad input with several exception types (EOF, AvroRuntimeException, index errors).
            throw new InvalidEventBytesException(Reason.CORRUPT_PAYLOAD, schemaId,
                e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return record;
    }

    private DatumReader<T> readerFor(int schemaId) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new InvalidEventBytesException(Reason.UNKNOWN_SCHEMA_ID, schemaId,
                    "the registry has no schema with this id", e);
            }
            throw e;
        }
        SchemaPairCompatibility compatibility =
            SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new InvalidEventBytesException(Reason.INCOMPATIBLE_SCHEMA, schemaId,
                SchemaEvolution.describe(compatibility.getResult()), null);
        }
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writerSchema, readerSchema);
        return reader;
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
