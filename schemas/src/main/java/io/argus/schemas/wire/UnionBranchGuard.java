package io.argus.schemas.wire;

import io.argus.schemas.wire.InvalidEventBytesException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * Stops Avro from reading an unknown union branch as a different, known one.
 *
 * <p>When a writer's union holds a record the reader lacks, Avro's resolution does not fail: it picks the first
 * reader branch the record structurally fits. A newer event type {@code JobCancelled {job_id}} would be read as a
 * {@code Heartbeat} (no fields to miss), or worse as a job event. So for writer schemas with such branches, each
 * record is first probed for the branch it was written with, and records of a branch unknown here are refused. Writer
 * schemas whose branches all exist here (the usual case) need no probe.
 */
final class UnionBranchGuard {

    private final Map<String, Set<String>> unknownBranchesByField;
    private final DatumReader<GenericRecord> probe;

    private UnionBranchGuard(Map<String, Set<String>> unknownBranchesByField, DatumReader<GenericRecord> probe) {
        this.unknownBranchesByField = unknownBranchesByField;
        this.probe = probe;
    }

    /** A guard for top-level union fields whose writer branches are not all in the reader; empty when none. */
    static Optional<UnionBranchGuard> of(Schema writer, Schema reader) {
        if (writer.getType() != Schema.Type.RECORD || reader.getType() != Schema.Type.RECORD) {
            return Optional.empty();
        }
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (Schema.Field field : writer.getFields()) {
            Schema.Field readerField = reader.getField(field.name());
            if (readerField == null || field.schema().getType() != Schema.Type.UNION
                || readerField.schema().getType() != Schema.Type.UNION) {
                continue;
            }
            Set<String> known = readerField.schema().getTypes().stream().map(Schema::getFullName)
                .collect(Collectors.toSet());
            Set<String> missing = field.schema().getTypes().stream()
                .filter(branch -> branch.getType() == Schema.Type.RECORD && !known.contains(branch.getFullName()))
                .map(Schema::getFullName)
                .collect(Collectors.toSet());
            if (!missing.isEmpty()) {
                unknown.put(field.name(), missing);
            }
        }
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UnionBranchGuard(unknown, new GenericDatumReader<>(writer, probeSchema(writer, unknown))));
    }

    /** Refuses the record when it was written with a branch unknown to the reader. */
    void check(byte[] data, int offset, int length, int schemaId) {
        GenericRecord probed;
        try {
            probed = probe.read(null, DecoderFactory.get().binaryDecoder(data, offset, length, null));
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventBytesException(Reason.CORRUPT_PAYLOAD, schemaId,
                e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        unknownBranchesByField.forEach((field, unknown) -> {
            Object value = probed.get(field);
            if (value instanceof GenericRecord branch && unknown.contains(branch.getSchema().getFullName())) {
                throw new InvalidEventBytesException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "field " + field
                    + " holds " + branch.getSchema().getFullName() + ", a type this reader does not know", null);
            }
        });
    }

    /**
     * The writer's record with only the guarded fields, each a union of field-less records named like the writer's
     * branches: reading it matches branches by exact name and skips everything else.
     */
    private static Schema probeSchema(Schema writer, Map<String, Set<String>> guarded) {
        List<Schema.Field> fields = new ArrayList<>();
        for (String name : guarded.keySet()) {
            List<Schema> branches = writer.getField(name).schema().getTypes().stream()
                .map(branch -> branch.getType() == Schema.Type.RECORD
                    ? Schema.createRecord(branch.getName(), null, branch.getNamespace(), false, List.of())
                    : branch)
                .toList();
            fields.add(new Schema.Field(name, Schema.createUnion(branches)));
        }
        return Schema.createRecord(writer.getName(), null, writer.getNamespace(), false, fields);
    }
}
