package io.argus.registry;

import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that Argus uses. Implementations stay inside the documented
 * API so that Confluent Schema Registry, Apicurio ({@code /apis/ccompat/v7}), Karapace and Redpanda all work.
 *
 * <p>Every failure is a {@link SchemaRegistryException} that names the subject or schema id and the HTTP status.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (or finds it when already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of this schema under the subject, or empty when the subject does not hold it. */
    OptionalInt lookup(String subject, Schema schema);

    /** The schema with this global id; throws {@link SchemaRegistryException} with {@code isNotFound()} when unknown. */
    Schema schemaById(int id);

    /** Whether the schema could be registered under the subject, against its latest version, with the reasons. */
    CompatibilityResult checkCompatibility(String subject, Schema schema);

    /** The compatibility level of the subject, or the global one when the subject is empty. */
    String compatibilityLevel(Optional<String> subject);

    /** Sets the compatibility level (for example {@code BACKWARD}) of the subject, or the global one. */
    void setCompatibilityLevel(Optional<String> subject, String level);

    @Override
    void close();
}
