package io.argus.schemas.wire;

import io.argus.registry.HttpSchemaRegistryClient;
import io.argus.registry.RegistryClientConfig;
import io.argus.registry.SchemaRegistryClient;
import io.argus.registry.SchemaRegistryException;
import io.argus.schemas.AvroTrust;
import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro: takes the writer schema id from the header, fetches that schema from the registry
 * (once; readers are cached per id) and resolves each record against the reader schema this deserializer was made
 * for.
 *
 * <p>Every way the bytes can be wrong raises {@link InvalidEventBytesException} with its reason; a registry that
 * cannot be reached raises {@link SchemaRegistryException} instead, because the bytes may well be fine.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final Schema readerSchema;
    private final GenericData model;
    private final Map<Integer, WriterVersion<T>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;

    /** For configuration by Kafka: {@link #configure} builds the registry client. */
    protected AvroDeserializer(Schema readerSchema, GenericData model) {
        AvroTrust.trustGeneratedClasses();
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
        WriterVersion<T> writer = writers.computeIfAbsent(schemaId, this::writerVersion);
        int bodyLength = data.length - WireFormat.HEADER_SIZE;
        writer.guard().ifPresent(guard -> guard.check(data, WireFormat.HEADER_SIZE, bodyLength, schemaId));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength, null);
        T record;
        try {
            record = writer.reader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidEventBytesException(Reason.CORRUPT_PAYLOAD, schemaId,
                    "bytes left over after the record", null);
            }
        } catch (AvroTypeException e) {
            // Resolution fails per record, not per schema: only records that need what the reader lacks fail.
            throw new InvalidEventBytesException(Reason.INCOMPATIBLE_SCHEMA, schemaId, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidEventBytesException invalid) {
                throw invalid;
            }
            // Avro signals bad bytes with several exception types (EOF, AvroRuntimeException, index errors).
            throw new InvalidEventBytesException(Reason.CORRUPT_PAYLOAD, schemaId,
                e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return record;
    }

    /** How to read one writer version: the resolving reader, and the branch guard when the writer needs one. */
    private record WriterVersion<T>(DatumReader<T> reader, Optional<UnionBranchGuard> guard) {
    }

    private WriterVersion<T> writerVersion(int schemaId) {
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
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writerSchema, readerSchema);
        return new WriterVersion<>(reader, UnionBranchGuard.of(writerSchema, readerSchema));
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
