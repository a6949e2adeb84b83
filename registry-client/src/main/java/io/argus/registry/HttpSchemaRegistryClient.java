package io.argus.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.argus.registry.RegistryTransport.Answer;
import io.argus.registry.RegistryTransport.Call;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} over the documented Confluent Schema Registry REST API, so that it works with
 * Confluent Schema Registry, Apicurio Registry ({@code /apis/ccompat/v7}), Karapace and Redpanda. Thread-safe.
 *
 * <p>Schemas by id and ids by (subject, schema) are cached, so a serializer's hot path makes no HTTP call after the
 * first for each schema. Compatibility answers and levels are never cached.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    /** The compatibility levels the Confluent API documents. */
    public static final Set<String> COMPATIBILITY_LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE",
            "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private record SubjectSchema(String subject, Schema schema) {
    }

    private final RegistryTransport transport;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private volatile boolean closed;

    public HttpSchemaRegistryClient(RegistryClientConfig config) {
        Objects.requireNonNull(config, "config");
        this.transport = new RegistryTransport(config);
        this.schemasById = new BoundedCache<>(config.cacheCapacity());
        this.idsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = key(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Call call = Call.post("/subjects/" + segment(subject) + "/versions", schemaRequest(schema), "register a schema", subject);
        Answer answer = send(call);
        if (answer.status() == 409) {
            // 409 means "incompatible", but Apicurio also answers it to the loser of two concurrent first
            // registrations of the same schema ("artifact already exists"). If the schema is there, that is success.
            OptionalInt registered = lookup(subject, schema);
            if (registered.isPresent()) {
                return registered.getAsInt();
            }
        }
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
        int id = id(call, answer);
        remember(key, id);
        return id;
    }

    @Override
    public OptionalInt lookup(String subject, Schema schema) {
        SubjectSchema key = key(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return OptionalInt.of(cached);
        }
        Call call = Call.post("/subjects/" + segment(subject), schemaRequest(schema), "look up a schema", subject);
        Answer answer = send(call);
        if (answer.status() == 404 && errorCodeIn(answer, SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND)) {
            return OptionalInt.empty();
        }
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
        int id = id(call, answer);
        remember(key, id);
        return OptionalInt.of(id);
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Call call = Call.get("/schemas/ids/" + id, "fetch a schema by id", null, id);
        Answer answer = send(call);
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
        RegistryJson.SchemaAnswer parsed = read(call, answer, RegistryJson.SchemaAnswer.class);
        if (parsed.schemaType() != null && !parsed.schemaType().equalsIgnoreCase("AVRO")) {
            throw Failures.unexpected(call, answer, "the schema is " + parsed.schemaType() + ", not AVRO", null);
        }
        if (parsed.schema() == null) {
            throw Failures.unexpected(call, answer, "no schema in the answer", null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(parsed.schema());
        } catch (SchemaParseException e) {
            throw Failures.unexpected(call, answer, "not a valid Avro schema: " + e.getMessage(), e);
        }
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        key(subject, schema);
        Call call = Call.post("/compatibility/subjects/" + segment(subject) + "/versions/latest?verbose=true",
                schemaRequest(schema), "check compatibility", subject);
        Answer answer = send(call);
        if (answer.status() == 404 && errorCodeIn(answer, SUBJECT_NOT_FOUND, VERSION_NOT_FOUND)) {
            return new CompatibilityResult(true, List.of()); // nothing registered yet: anything goes
        }
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
        RegistryJson.CompatibilityAnswer parsed = read(call, answer, RegistryJson.CompatibilityAnswer.class);
        if (parsed.compatible() == null) {
            throw Failures.unexpected(call, answer, "no is_compatible in the answer", null);
        }
        List<String> messages = parsed.messages() != null ? parsed.messages()
                : parsed.reason() != null ? List.of(parsed.reason()) : List.of();
        return new CompatibilityResult(parsed.compatible(), messages);
    }

    /**
     * {@inheritDoc}
     *
     * <p>For a subject without a level of its own this is the global level: the client asks with
     * {@code defaultToGlobal=true} and, for registries that answer 404 (40401 or 40408) instead, asks for the global
     * level. Apicurio 2.6 answers {@code NONE} for an existing subject without a level of its own, whatever the
     * global level is.
     */
    @Override
    public String compatibilityLevel(Optional<String> subject) {
        if (subject.isPresent()) {
            String name = subject.get();
            requireSubject(name);
            Call call = Call.get("/config/" + segment(name) + "?defaultToGlobal=true",
                    "read the compatibility level", name, null);
            Answer answer = send(call);
            if (answer.status() == 404
                    && errorCodeIn(answer, SUBJECT_NOT_FOUND, SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED)) {
                return compatibilityLevel(Optional.empty());
            }
            return level(call, answer);
        }
        Call call = Call.get("/config", "read the global compatibility level", null, null);
        return level(call, send(call));
    }

    @Override
    public void setCompatibilityLevel(Optional<String> subject, String level) {
        Objects.requireNonNull(level, "level");
        String normalized = level.strip().toUpperCase(Locale.ROOT);
        if (!COMPATIBILITY_LEVELS.contains(normalized)) {
            throw new IllegalArgumentException("Unknown compatibility level '" + level + "'; expected one of "
                    + COMPATIBILITY_LEVELS);
        }
        subject.ifPresent(HttpSchemaRegistryClient::requireSubject);
        String path = subject.map(name -> "/config/" + segment(name)).orElse("/config");
        Call call = Call.put(path, RegistryJson.write(new RegistryJson.ConfigRequest(normalized)),
                subject.isPresent() ? "set the compatibility level" : "set the global compatibility level",
                subject.orElse(null));
        Answer answer = send(call);
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
    }

    /** Drops the caches and releases the HTTP threads; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        transport.close();
        schemasById.clear();
        idsBySubjectSchema.clear();
    }

    /** How many HTTP attempts this client has made, retries included. For tests. */
    long httpAttempts() {
        return transport.attemptsSent();
    }

    private Answer send(Call call) {
        if (closed) {
            throw new IllegalStateException("The registry client is closed");
        }
        return transport.send(call);
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        if (schemasById.get(id) == null) {
            schemasById.put(id, key.schema());
        }
    }

    private String level(Call call, Answer answer) {
        if (!answer.isSuccess()) {
            throw Failures.fromAnswer(call, answer);
        }
        String level = read(call, answer, RegistryJson.ConfigAnswer.class).level();
        if (level == null) {
            throw Failures.unexpected(call, answer, "no compatibilityLevel in the answer", null);
        }
        return level;
    }

    private static int id(Call call, Answer answer) {
        Integer id = read(call, answer, RegistryJson.IdAnswer.class).id();
        if (id == null) {
            throw Failures.unexpected(call, answer, "no id in the answer", null);
        }
        return id;
    }

    private static <T> T read(Call call, Answer answer, Class<T> type) {
        try {
            return RegistryJson.read(answer.body(), type);
        } catch (JsonProcessingException e) {
            throw Failures.unexpected(call, answer, "not the expected JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean errorCodeIn(Answer answer, int... codes) {
        RegistryJson.ErrorAnswer error = RegistryJson.readError(answer.body());
        if (error == null || error.errorCode() == null) {
            return false;
        }
        for (int code : codes) {
            if (error.errorCode() == code) {
                return true;
            }
        }
        return false;
    }

    private static SubjectSchema key(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        return new SubjectSchema(subject, schema);
    }

    private static void requireSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("The subject must not be blank");
        }
    }

    private static String schemaRequest(Schema schema) {
        return RegistryJson.write(new RegistryJson.SchemaRequest(schema.toString()));
    }

    /** The subject encoded as one URL path segment. */
    private static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
