package io.argus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real Apicurio Registry's Confluent-compatible API, whose global level is BACKWARD. */
@ExtendWith(RealKafkaAndRegistry.class)
class ApicurioRegistryTest {

    private static final Schema V1 = SchemaBuilder.record("Run").namespace("io.argus.test").fields()
            .requiredString("id")
            .endRecord();
    /** Adds a field without a default: a reader of this version cannot read V1 data, so BACKWARD refuses it. */
    private static final Schema V2_INCOMPATIBLE = SchemaBuilder.record("Run").namespace("io.argus.test").fields()
            .requiredString("id")
            .requiredInt("attempt")
            .endRecord();
    /** Adds a field with a default: BACKWARD compatible with V1. */
    private static final Schema V2_COMPATIBLE = SchemaBuilder.record("Run").namespace("io.argus.test").fields()
            .requiredString("id")
            .name("host").type().stringType().stringDefault("unknown")
            .endRecord();

    private String url;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void connect(SharedTestStack stack) {
        url = String.valueOf(stack.registry().confluentApiUrl());
        client = newClient();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private HttpSchemaRegistryClient newClient() {
        return new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(Map.of(
                RegistryClientConfig.URL, url + "/",
                RegistryClientConfig.MAX_RETRIES, "1",
                RegistryClientConfig.RETRY_BACKOFF_MS, "50")));
    }

    private static String subject(String prefix) {
        return String.valueOf(TestNames.unique(prefix));
    }

    @Test
    void registerGivesAnIdAndTheSameIdAgainFromTheCache() {
        String subject = subject("register") + "-value";

        int id = client.register(subject, V1);
        long attemptsAfterFirst = client.httpAttempts();
        int again = client.register(subject, V1);

        assertThat(again).isEqualTo(id);
        assertThat(client.httpAttempts()).as("second register served from the cache").isEqualTo(attemptsAfterFirst);
        assertThat(client.lookup(subject, V1)).as("lookup served from the cache too").hasValue(id);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThat(client.httpAttempts()).isEqualTo(attemptsAfterFirst);

        try (HttpSchemaRegistryClient fresh = newClient()) {
            assertThat(fresh.register(subject, V1)).as("the registry itself answers the same id").isEqualTo(id);
            assertThat(fresh.httpAttempts()).isEqualTo(1);
        }
    }

    @Test
    void lookupFindsRegisteredSchemasOnly() {
        String subject = subject("lookup") + "-value";
        int id = client.register(subject, V1);

        try (HttpSchemaRegistryClient fresh = newClient()) {
            assertThat(fresh.lookup(subject, V1)).hasValue(id);
            assertThat(fresh.lookup(subject, V2_COMPATIBLE)).as("schema not under the subject").isEmpty();
            assertThat(fresh.lookup(subject("nobody") + "-value", V1)).as("unknown subject").isEmpty();
        }
    }

    @Test
    void schemaByIdRoundTrips() {
        int id = client.register(subject("by-id") + "-value", V2_COMPATIBLE);

        try (HttpSchemaRegistryClient fresh = newClient()) {
            Schema fetched = fresh.schemaById(id);
            assertThat(fetched).isEqualTo(V2_COMPATIBLE);
            assertThat(fresh.schemaById(id)).isSameAs(fetched);
            assertThat(fresh.httpAttempts()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownIdIsNotFoundAndNamed() {
        int unknown = Integer.MAX_VALUE - 7;

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(unknown));

        assertThat(e.isNotFound()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(40403);
        assertThat(e.schemaId()).hasValue(unknown);
        assertThat(e.getMessage()).contains(String.valueOf(unknown));
        assertThat(e.attempts()).as("a 404 is not retried").isEqualTo(1);
    }

    @Test
    void aBackwardIncompatibleVersionIsReportedAndRefused() {
        String subject = subject("incompatible") + "-value";
        client.register(subject, V1);

        CompatibilityResult check = client.checkCompatibility(subject, V2_INCOMPATIBLE);
        SchemaRegistryException refused = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register(subject, V2_INCOMPATIBLE));

        assertThat(check.compatible()).isFalse();
        assertThat(check.messages()).isNotEmpty().anySatisfy(message -> assertThat(message).contains("attempt"));
        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.subject()).contains(subject);
        assertThat(refused.getMessage()).contains(subject, "HTTP 409");
        assertThat(refused.attempts()).as("a 409 is not retried").isEqualTo(1);
    }

    @Test
    void aBackwardCompatibleVersionPassesAndGetsANewId() {
        String subject = subject("compatible") + "-value";
        int first = client.register(subject, V1);

        CompatibilityResult check = client.checkCompatibility(subject, V2_COMPATIBLE);

        assertThat(check.compatible()).isTrue();
        assertThat(check.messages()).isEmpty();
        assertThat(client.register(subject, V2_COMPATIBLE)).isNotEqualTo(first);
    }

    @Test
    void aSubjectWithoutVersionsAcceptsAnything() {
        CompatibilityResult check = client.checkCompatibility(subject("empty") + "-value", V2_INCOMPATIBLE);

        assertThat(check.compatible()).isTrue();
        assertThat(check.messages()).isEmpty();
    }

    @Test
    void subjectCompatibilityLevelsAreSetAndRead() {
        String subject = subject("level") + "-value";
        client.register(subject, V1);

        client.setCompatibilityLevel(Optional.of(subject), "FULL");

        assertThat(client.compatibilityLevel(Optional.of(subject))).isEqualTo("FULL");
        assertThat(client.compatibilityLevel(Optional.empty())).as("global level untouched").isEqualTo("BACKWARD");

        client.setCompatibilityLevel(Optional.of(subject), "forward");
        assertThat(client.compatibilityLevel(Optional.of(subject))).isEqualTo("FORWARD");
        assertThat(client.checkCompatibility(subject, V2_INCOMPATIBLE).compatible())
                .as("a new required field is FORWARD compatible").isTrue();
        assertThat(client.register(subject, V2_INCOMPATIBLE)).isPositive();
    }

    @Test
    void anUnknownSubjectHasTheGlobalLevel() {
        assertThat(client.compatibilityLevel(Optional.of(subject("no-level") + "-value"))).isEqualTo("BACKWARD");
    }

    @Test
    void subjectsAreEncodedAsOnePathSegment() {
        String subject = subject("odd") + " name/with+chars value";

        int id = client.register(subject, V1);

        try (HttpSchemaRegistryClient fresh = newClient()) {
            assertThat(fresh.lookup(subject, V1)).isEqualTo(OptionalInt.of(id));
        }
    }

    @Test
    void concurrentFirstRegistrationsOfOneSchemaAllGetItsId() throws Exception {
        String subject = TestNames.unique("race") + "-value";
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> ids = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                ids.add(pool.submit(() -> {
                    try (HttpSchemaRegistryClient own = newClient()) {
                        go.await();
                        return own.register(subject, V1);
                    }
                }));
            }
            go.countDown();
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).as("Apicurio answers 409 to the losers of the race; they must still get the id")
                .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
