package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobStart;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input drill: a table of hostile requests and records, each with the answer it must get, against a real
 * service (real broker, real registry) with an API token set. Every request gets its 4xx with a JSON reason and no
 * class name or stack trace; every bad record lands in the dead-letter topic with its reason; nothing answers 5xx;
 * the service is still ready afterwards. {@code -Dargus.drill.badinput.repeats=N} runs the table N times, each repeat
 * after the first adding randomly mutated events and records (any answer below 500, JSON, no internals).
 */
@ExtendWith(RealKafkaAndRegistry.class)
class BadInputDrillTest {

    private static final String TOKEN = "drill-token";
    private static final int REPEATS = Integer.getInteger("argus.drill.badinput.repeats", 1);
    private static final long SEED = Long.getLong("argus.drill.badinput.seed", 20261202L);
    private static final Pattern INTERNALS = Pattern.compile("\\b(java|javax|jakarta|org|com|io)\\.[a-z]+\\.|Exception"
        + "|\\tat |<html|StreamReadFeature|JsonReadFeature");

    /** One hostile HTTP request and the answer it must get: status, error name, words the detail must hold. */
    record HttpCase(String name, byte[] request, int status, String error, String mentions) {
    }

    /** One record written straight to the event log and the dead-letter reason it must get. */
    record RecordCase(String name, String key, byte[] value, String category, String reason) {
    }

    private static SharedTestStack stack;
    private static QueryService service;
    private static String batch;

    @BeforeAll
    static void start(SharedTestStack shared) throws Exception {
        stack = shared;
        String prefix = TestNames.unique("drill") + ".";
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of("ARGUS_API_TOKEN", TOKEN)).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-drill"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "drill-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.HTTP_PORT, "0"));
        service = QueryService.start(config, Clock.systemUTC());
        ApiClient api = new ApiClient(service.port(), Optional.of(TOKEN));
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);
        batch = TestNames.unique("drill-batch");
        assertThat(api.post("/api/events", "{\"type\":\"batch_start\",\"batch_id\":\"" + batch + "\",\"source_project\":"
            + "\"p\",\"experiment_type\":\"e\",\"n_total\":1,\"command\":\"c\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/batches/" + batch).status() == 200);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void everyBadRequestGetsA4xxWithAJsonReasonAndEveryBadRecordADeadLetter() throws Exception {
        List<HttpCase> requests = httpCases();
        List<RecordCase> records = recordCases();
        Map<Integer, Integer> table = new HashMap<>();
        Map<Integer, Integer> mutated = new HashMap<>();
        Random random = new Random(SEED);
        List<RecordCase> written = new ArrayList<>();
        for (int repeat = 0; repeat < REPEATS; repeat++) {
            for (HttpCase c : requests) {
                RawHttp.Answer answer = RawHttp.send(service.port(), c.request());
                table.merge(answer.status(), 1, Integer::sum);
                assertAnswer(c, answer);
            }
            written.addAll(withKeys(records, repeat));
            if (repeat > 0) {
                mutatedRequests(random, 100, mutated);
                written.addAll(mutatedRecords(random, 50, repeat));
            }
        }
        write(written);
        long lettered = assertDeadLettered(written);

        assertThat(mutated.keySet()).as("no 5xx: " + mutated).allMatch(status -> status < 500);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            RawHttp.Answer ready = RawHttp.send(service.port(), request("GET", "/readyz", null, null, true));
            assertThat(ready.status()).as("still ready after the drill: " + ready.body()).isEqualTo(200);
        });
        System.out.printf("bad-input drill: %d request kinds and %d record kinds, %d repeat(s); table requests %s; "
            + "mutated requests %s; %d records written, %d table records dead-lettered as expected%n",
            requests.size(), records.size(), REPEATS, table, mutated, written.size(), lettered);
    }

    private static void assertAnswer(HttpCase c, RawHttp.Answer answer) {
        String what = c.name() + ": " + answer.status() + " " + answer.body();
        assertThat(answer.status()).as(what).isEqualTo(c.status());
        assertThat(answer.head()).as(what).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer.json().path("error").asText()).as(what).isEqualTo(c.error());
        assertThat(answer.json().path("detail").asText()).as(what).isNotBlank();
        assertThat(answer.body()).as(what).doesNotContainPattern(INTERNALS);
        if (c.mentions() != null) {
            assertThat(answer.body()).as(what).contains(c.mentions());
        }
    }

    private static List<HttpCase> httpCases() {
        List<HttpCase> cases = new ArrayList<>();
        String b = batch;
        // Event bodies: malformed, truncated, nested, wrong types, huge values, bad bytes.
        post(cases, "malformed JSON", "{\"type\": ", 400, "bad_request", "not JSON");
        post(cases, "truncated array", "[{\"type\":\"heartbeat\",\"batch_id\":\"b\"}", 400, "bad_request",
            "ends before it is complete");
        post(cases, "nested 1,001 levels", "[".repeat(1_001) + "]".repeat(1_001), 400, "bad_request",
            "nested more than 64 levels");
        post(cases, "nested 65 levels in a field", "{\"type\":\"job_start\",\"batch_id\":\"b\",\"job_id\":\"j\","
            + "\"attempt\":1,\"params\":{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}}", 400, "bad_request",
            "nested more than 64 levels");
        post(cases, "NaN literal", "{\"type\":\"job_done\",\"batch_id\":\"b\",\"job_id\":\"j\",\"attempt\":1,"
            + "\"metrics\":{\"m\":NaN}}", 400, "bad_request", "line 1");
        post(cases, "repeated field", "{\"type\":\"heartbeat\",\"type\":\"job_start\",\"batch_id\":\"b\"}", 400,
            "bad_request", "Duplicate field 'type'");
        post(cases, "trailing garbage", "[{\"type\":\"heartbeat\",\"batch_id\":\"b\"}] ]", 400, "bad_request", null);
        post(cases, "empty body", "", 400, "bad_request", "no event");
        post(cases, "not an object", "[1, 2]", 400, "invalid_events", "an event must be a JSON object");
        post(cases, "attempt as text", job("\"attempt\":\"one\""), 400, "invalid_events", "attempt");
        post(cases, "attempt 0", job("\"attempt\":0"), 400, "invalid_events", "attempt");
        post(cases, "attempt beyond 32 bits", job("\"attempt\":2147483648"), 400, "invalid_events", "attempt");
        post(cases, "attempt 1e400", job("\"attempt\":1e400"), 400, "invalid_events", "attempt");
        post(cases, "metric -1e400", done("-1e400"), 400, "invalid_events", "metrics");
        post(cases, "metric 1e-400", done("1e-400"), 400, "invalid_events", "metrics");
        post(cases, "metric of 30 digits", done("123456789012345678901234567890"), 400, "invalid_events",
            "cannot be kept exactly");
        post(cases, "job_id of 100,000 chars", job("\"attempt\":1", "x".repeat(100_000)), 400, "invalid_events",
            "job_id");
        post(cases, "job_id with NUL", job("\"attempt\":1", "a\\u0000b"), 400, "invalid_events", "job_id");
        post(cases, "batch_id with ESC", "{\"type\":\"heartbeat\",\"batch_id\":\"b\\u001b[2J\"}", 400,
            "invalid_events", "batch_id");
        post(cases, "blank event_id", "{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"event_id\":\" \"}", 400,
            "invalid_events", "event_id");
        post(cases, "unknown event type", "{\"type\":\"job_exploded\",\"batch_id\":\"b\"}", 400, "invalid_events",
            "unknown event type");
        post(cases, "no type", "{\"batch_id\":\"b\"}", 400, "invalid_events", "type");
        post(cases, "unknown field", "{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"colour\":1}", 400,
            "invalid_events", "colour");
        post(cases, "ts beyond year 9999", "{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"ts\":\"+10000-01-01T00:00:00Z\"}",
            400, "invalid_events", "\"field\":\"ts\"");
        post(cases, "ts not ISO-8601", "{\"type\":\"heartbeat\",\"batch_id\":\"b\",\"ts\":\"yesterday\"}", 400,
            "invalid_events", "\"field\":\"ts\"");
        post(cases, "one bad NDJSON line", "{\"type\":\"heartbeat\",\"batch_id\":\"b\"}\n{\"type\":\"heartbeat\"}",
            400, "invalid_events", "\"index\":1");
        post(cases, "1,001 events", "{\"type\":\"heartbeat\",\"batch_id\":\"b\"}\n".repeat(1_001), 413,
            "payload_too_large", "at most 1000");
        cases.add(new HttpCase("invalid UTF-8 in a value", request("POST", "/api/events", "application/json",
            concat("{\"type\":\"heartbeat\",\"batch_id\":\"b", new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}"), true),
            400, "bad_request", "byte offset 33, in the value of field 'batch_id'"));
        cases.add(new HttpCase("encoded surrogate (CESU-8)", request("POST", "/api/events", null,
            concat("{\"type\":\"heartbeat\",\"batch_id\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\"}"), true), 400, "bad_request", "not valid UTF-8"));
        cases.add(new HttpCase("10 MB body", request("POST", "/api/events", "application/json",
            new byte[10 * 1024 * 1024], true), 413, "payload_too_large", null));
        // Content types and methods.
        cases.add(new HttpCase("XML content type", request("POST", "/api/events", "application/xml",
            bytes("<event/>"), true), 415, "unsupported_media_type", "application/xml"));
        cases.add(new HttpCase("form content type", request("POST", "/api/events",
            "application/x-www-form-urlencoded", bytes("type=heartbeat"), true), 415, "unsupported_media_type", null));
        cases.add(new HttpCase("latin-1 charset", request("POST", "/api/events", "application/json; charset=latin1",
            bytes("{}"), true), 415, "unsupported_media_type", "UTF-8"));
        cases.add(new HttpCase("GET on ingest", request("GET", "/api/events", null, null, true), 405,
            "method_not_allowed", null));
        cases.add(new HttpCase("PUT on ingest", request("PUT", "/api/events", "application/json", bytes("{}"), true),
            405, "method_not_allowed", null));
        cases.add(new HttpCase("DELETE a batch", request("DELETE", "/api/batches/" + b, null, null, true), 405,
            "method_not_allowed", null));
        cases.add(new HttpCase("unknown method", request("FROB", "/api/batches", null, null, true), 405,
            "method_not_allowed", null));
        // Stop requests.
        cases.add(new HttpCase("stop with an array", request("POST", "/api/batches/" + b + "/stop", "application/json",
            bytes("[1]"), true), 400, "bad_request", "one JSON object"));
        cases.add(new HttpCase("stop with a numeric reason", request("POST", "/api/batches/" + b + "/stop", null,
            bytes("{\"reason\": 5}"), true), 400, "bad_request", "reason"));
        // Query parameters on every endpoint that takes them.
        get(cases, "list limit 0", "/api/batches?limit=0", 400, "bad_request", "limit");
        get(cases, "list limit text", "/api/batches?limit=ten", 400, "bad_request", "limit");
        get(cases, "list limit beyond 64 bits", "/api/batches?limit=99999999999999999999", 400, "bad_request", "limit");
        get(cases, "list cursor garbage", "/api/batches?cursor=!!!", 400, "bad_request", "cursor");
        get(cases, "list cursor forged", "/api/batches?cursor=" + Base64.getUrlEncoder().encodeToString(bytes("x:y")),
            400, "bad_request", "cursor");
        get(cases, "list status unknown", "/api/batches?status=exploded", 400, "bad_request", "status");
        get(cases, "list limit bad percent", "/api/batches?limit=%ZZ", 400, "bad_request", null);
        get(cases, "as_of far future", "/api/batches/" + b + "?as_of=+999999999-01-01T00:00:00Z", 400, "bad_request",
            "as_of");
        get(cases, "as_of not a time", "/api/batches/" + b + "?as_of=yesterday", 400, "bad_request", "as_of");
        get(cases, "jobs status unknown", "/api/batches/" + b + "/jobs?status=exploded", 400, "bad_request", "status");
        get(cases, "events cursor negative", "/api/batches/" + b + "/events?cursor=-1", 400, "bad_request", "cursor");
        get(cases, "events limit 1001", "/api/batches/" + b + "/events?limit=1001", 400, "bad_request", "limit");
        get(cases, "decision without attempt", "/api/batches/" + b + "/jobs/j/decision", 400, "bad_request", "attempt");
        get(cases, "decision attempt 0", "/api/batches/" + b + "/jobs/j/decision?attempt=0", 400, "bad_request",
            "attempt");
        get(cases, "decision wait_ms negative", "/api/batches/" + b + "/jobs/j/decision?attempt=1&wait_ms=-1", 400,
            "bad_request", "wait_ms");
        get(cases, "decision wait_ms huge", "/api/batches/" + b + "/jobs/j/decision?attempt=1&wait_ms=99999999", 400,
            "bad_request", "wait_ms");
        get(cases, "job id with a control char", "/api/batches/" + b + "/jobs/a%01b", 404, "not_found", null);
        get(cases, "unknown batch", "/api/batches/no-such-batch-" + b, 404, "not_found", null);
        // Request lines and headers no client would send.
        raw(cases, "unknown HTTP version", "GET /readyz HTTP/9.9\r\nHost: x\r\n", 400, "bad_request", "HTTP version");
        raw(cases, "NUL in the path", "GET /api/batches/a%00b HTTP/1.1\r\nHost: x\r\n", 400, "bad_request", null);
        raw(cases, "bad UTF-8 percent-encoding", "GET /api/batches/%C3%28 HTTP/1.1\r\nHost: x\r\n", 400,
            "bad_request", null);
        raw(cases, "lone percent", "GET /api/batches/% HTTP/1.1\r\nHost: x\r\n", 400, "bad_request", null);
        raw(cases, "dot-dot above the root", "GET /dashboard/../../etc/passwd HTTP/1.1\r\nHost: x\r\n", 400,
            "bad_request", null);
        raw(cases, "URI of 20,000 bytes", "GET /api/batches/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n", 414,
            "uri_too_long", null);
        raw(cases, "header of 20,000 bytes", "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
            + "\r\n", 431, "headers_too_large", null);
        raw(cases, "space in a header name", "GET /readyz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n", 400,
            "bad_request", null);
        raw(cases, "bad Content-Length", "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n", 400,
            "bad_request", null);
        raw(cases, "chunked and a length", "POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Length: 3\r\n", 400, "bad_request", null);
        // With a token set, no write is accepted without it, valid or not.
        cases.add(new HttpCase("valid event without the token", request("POST", "/api/events", "application/json",
            bytes("{\"type\":\"heartbeat\",\"batch_id\":\"" + b + "\"}"), false), 401, "unauthorized", null));
        cases.add(new HttpCase("stop without the token", request("POST", "/api/batches/" + b + "/stop", null, null,
            false), 401, "unauthorized", null));
        cases.add(new HttpCase("bad event without the token", request("POST", "/api/events", null, bytes("{"), false),
            401, "unauthorized", null));
        return cases;
    }

    private static List<RecordCase> recordCases() {
        byte[] good = serialize(event("k", new Heartbeat()));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 7;
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(999_999_999);
        List<RecordCase> cases = new ArrayList<>();
        cases.add(new RecordCase("not Avro", "k", bytes("{\"type\":\"heartbeat\"}"), "bytes", "WRONG_MAGIC_BYTE"));
        cases.add(new RecordCase("wrong magic byte", "k", wrongMagic, "bytes", "WRONG_MAGIC_BYTE"));
        cases.add(new RecordCase("truncated header", "k", new byte[] {0, 0}, "bytes", "TRUNCATED_HEADER"));
        cases.add(new RecordCase("unknown schema id", "k", unknownId, "bytes", "UNKNOWN_SCHEMA_ID"));
        cases.add(new RecordCase("truncated payload", "k", Arrays.copyOf(good, good.length - 3), "bytes",
            "CORRUPT_PAYLOAD"));
        cases.add(new RecordCase("tombstone", "k", null, "bytes", "NULL_VALUE"));
        cases.add(new RecordCase("job_id with NUL", "k", serialize(event("k", new JobStart("a\u0000b", 1, Map.of()))),
            "invalid", "job_id"));
        cases.add(new RecordCase("batch_id with ESC", "k\u001b[2J", serialize(event("k\u001b[2J", new Heartbeat())),
            "invalid", "batch_id"));
        ArgusEvent far = event("k", new Heartbeat());
        far.setTs(Instant.parse("+10000-01-01T00:00:00Z"));
        cases.add(new RecordCase("ts beyond year 9999", "k", serialize(far), "invalid", "ts"));
        cases.add(new RecordCase("NaN metric", "k", serialize(event("k", new JobDone("j", 1, Map.of("m", Double.NaN),
            null, null))), "invalid", "metrics"));
        cases.add(new RecordCase("infinite metric", "k", serialize(event("k", new JobDone("j", 1,
            Map.of("m", Double.POSITIVE_INFINITY), null, null))), "invalid", "metrics"));
        cases.add(new RecordCase("attempt 0", "k", serialize(event("k", new JobStart("j", 0, Map.of()))), "invalid",
            "attempt"));
        cases.add(new RecordCase("n_total -1", "k", serialize(event("k", BatchStart.newBuilder().setSourceProject("p")
            .setExperimentType("e").setNTotal(-1).setCommand("c").build())), "invalid", "n_total"));
        cases.add(new RecordCase("job_id of 100,000 chars", "k", serialize(event("k", new JobStart("x".repeat(100_000),
            1, Map.of()))), "invalid", "job_id"));
        ArgusEvent noId = event("k", new Heartbeat());
        noId.setEventId("");
        cases.add(new RecordCase("empty event_id", "k", serialize(noId), "invalid", "event_id"));
        cases.add(new RecordCase("key is not the batch_id", "other", serialize(event("k", new Heartbeat())), "invalid",
            "key"));
        return cases;
    }

    /** The cases with keys (and batch ids) of their own, so each dead letter is found by its key. */
    private static List<RecordCase> withKeys(List<RecordCase> cases, int repeat) {
        List<RecordCase> keyed = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            RecordCase c = cases.get(i);
            String unique = "drill-" + repeat + "-" + i + "-";
            byte[] value = c.value();
            if (value != null && value.length > 5 && value[0] == 0 && c.category().equals("invalid")) {
                value = serialize(rekey(deserialize(value), unique));
            }
            keyed.add(new RecordCase(c.name(), unique + c.key(), value, c.category(), c.reason()));
        }
        return keyed;
    }

    private static ArgusEvent rekey(ArgusEvent event, String prefix) {
        event.setBatchId(prefix + event.getBatchId());
        return event;
    }

    /** Mutated copies of a valid event: flipped, cut, inserted and repeated bytes. Any answer but a 5xx will do. */
    private static void mutatedRequests(Random random, int count, Map<Integer, Integer> statuses) {
        byte[] valid = bytes("{\"type\":\"job_done\",\"batch_id\":\"" + batch + "\",\"job_id\":\"j\",\"attempt\":1,"
            + "\"metrics\":{\"loss\":0.25},\"ts\":\"2026-11-23T10:00:00Z\"}");
        for (int i = 0; i < count; i++) {
            RawHttp.Answer answer = RawHttp.send(service.port(), request("POST", "/api/events", "application/json",
                mutate(random, valid), true));
            statuses.merge(answer.status(), 1, Integer::sum);
            String what = "mutated event: " + answer.status() + " " + answer.body();
            assertThat(answer.status()).as(what).isLessThan(500);
            assertThat(answer.body()).as(what).doesNotContainPattern(INTERNALS);
            answer.json();
        }
    }

    /** Valid events with a random byte changed past the header: each must be dead-lettered or folded, never fatal. */
    private static List<RecordCase> mutatedRecords(Random random, int count, int repeat) {
        List<RecordCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "drill-m" + repeat + "-" + i;
            byte[] value = serialize(event(key, new JobDone("j", 1, Map.of("loss", 0.5), "r", null)));
            int at = 5 + random.nextInt(value.length - 5);
            value[at] = (byte) random.nextInt(256);
            cases.add(new RecordCase("mutated record", key, value, null, null));
        }
        return cases;
    }

    private static byte[] mutate(Random random, byte[] valid) {
        byte[] copy = valid.clone();
        int at = random.nextInt(copy.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                copy[at] = (byte) random.nextInt(256);
                yield copy;
            }
            case 1 -> Arrays.copyOf(copy, at);
            case 2 -> concat(new String(copy, 0, at, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {(byte) random.nextInt(256)}, new String(copy, at, copy.length - at, StandardCharsets.UTF_8));
            default -> concat(new String(copy, 0, at, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
                bytes("[".repeat(random.nextInt(200))), new String(copy, at, copy.length - at, StandardCharsets.UTF_8));
        };
    }

    private static void write(List<RecordCase> cases) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
            new ByteArraySerializer())) {
            for (RecordCase c : cases) {
                producer.send(new ProducerRecord<>(eventsTopic(), c.key(), c.value()));
            }
            producer.flush();
        }
    }

    /** Every table record is dead-lettered with its category and reason; every mutated one is folded or lettered. */
    private static long assertDeadLettered(List<RecordCase> cases) {
        Map<String, ConsumerRecord<String, byte[]>> letters = new HashMap<>();
        Set<String> expected = new HashSet<>();
        cases.stream().filter(c -> c.reason() != null).forEach(c -> expected.add(c.key()));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, TestNames.unique("drill-dlq"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(service.fold().topics().deadLetters().name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.put(r.key(), r));
                return letters.keySet().containsAll(expected);
            });
        }
        for (RecordCase c : cases) {
            if (c.reason() != null) {
                ConsumerRecord<String, byte[]> letter = letters.get(c.key());
                assertThat(header(letter, "argus.dlq.category") + "/" + header(letter, "argus.dlq.reason"))
                    .as(c.name()).isEqualTo(c.category() + "/" + c.reason());
                assertThat(header(letter, "argus.dlq.detail")).as(c.name()).isNotBlank();
            }
        }
        return expected.size();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void post(List<HttpCase> cases, String name, String body, int status, String error,
                             String mentions) {
        cases.add(new HttpCase(name, request("POST", "/api/events", "application/json", bytes(body), true), status,
            error, mentions));
    }

    private static void get(List<HttpCase> cases, String name, String target, int status, String error,
                            String mentions) {
        cases.add(new HttpCase(name, request("GET", target, null, null, true), status, error, mentions));
    }

    private static void raw(List<HttpCase> cases, String name, String head, int status, String error,
                            String mentions) {
        cases.add(new HttpCase(name, bytes(head + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n"),
            status, error, mentions));
    }

    private static byte[] request(String method, String target, String contentType, byte[] body, boolean token) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token) {
            head.append("Authorization: Bearer ").append(TOKEN).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\nConnection: close\r\n\r\n");
        return concat(head.toString(), body == null ? new byte[0] : body, "");
    }

    private static String job(String attempt) {
        return job(attempt, "j");
    }

    private static String job(String attempt, String jobId) {
        return "{\"type\":\"job_start\",\"batch_id\":\"b\",\"job_id\":\"" + jobId + "\"," + attempt + "}";
    }

    private static String done(String metric) {
        return "{\"type\":\"job_done\",\"batch_id\":\"b\",\"job_id\":\"j\",\"attempt\":1,\"metrics\":{\"m\":" + metric
            + "}}";
    }

    private static ArgusEvent event(String batchId, Object payload) {
        return ArgusEvent.newBuilder().setEventId(TestNames.unique("e")).setBatchId(batchId)
            .setTs(Instant.parse("2026-11-23T10:00:00Z")).setProducer("drill").setPayload(payload).build();
    }

    private static byte[] serialize(ArgusEvent event) {
        return service.fold().topics().events().valueSerde().serializer().serialize(eventsTopic(), event);
    }

    private static ArgusEvent deserialize(byte[] value) {
        return service.fold().topics().events().valueSerde().deserializer().deserialize(eventsTopic(), value);
    }

    private static String eventsTopic() {
        return service.fold().topics().events().name();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        return concat(bytes(before), middle, after);
    }

    private static byte[] concat(byte[] before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before);
        out.writeBytes(middle);
        out.writeBytes(bytes(after));
        return out.toByteArray();
    }
}
