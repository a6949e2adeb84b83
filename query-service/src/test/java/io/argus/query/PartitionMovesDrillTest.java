package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.registry.RegistryClientConfig;
import io.argus.streams.topology.EventPlacement;
import io.argus.streams.view.ViewJson;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The moves drill: the streamed reads of a batch ({@code jobs}, {@code results.jsonl}, {@code leaderboard.csv}) and
 * every page of its {@code events} are read over and over from every running instance, while partitions move
 * between instances of one application: a third instance starts, one of the first two stops and starts again on its
 * state, the third stops, and so on. Every answer must be a 200 whose body is whole and exactly right, or an honest
 * failure: a 503 with a JSON error, or a connection the client sees break. A 200 with a wrong body fails the drill.
 *
 * <p>{@code -Dargus.drill.moves=N} (default 8: two rounds of start, stop, start, stop),
 * {@code -Dargus.drill.moves.jobs=N} (jobs per batch, default 2,000) and {@code -Dargus.drill.moves.batches=N}
 * (default 3, spread over the 3 partitions) run it longer or bigger.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class PartitionMovesDrillTest {

    private static final int MOVES = Integer.getInteger("argus.drill.moves", 8);
    private static final int JOBS = Integer.getInteger("argus.drill.moves.jobs", 2_000);
    private static final int BATCHES = Integer.getInteger("argus.drill.moves.batches", 3);
    private static final int PARTITIONS = 3;
    /** Events of a batch: its start, then a start, a progress and a done per job. */
    private static final int EVENTS = 1 + 3 * JOBS;
    private static final int EVENTS_PER_PAGE = 1_000;
    private static final int EVENTS_PER_REQUEST = 1_000;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    private final SharedTestStack stack;

    PartitionMovesDrillTest(SharedTestStack stack) {
        this.stack = stack;
    }

    /** What is read; each read is one GET, or every page of the events. */
    private enum Read {
        JOBS("/jobs"), RESULTS("/results.jsonl"), LEADERBOARD("/leaderboard.csv"), EVENTS("/events");

        private final String path;

        Read(String path) {
            this.path = path;
        }
    }

    /** How one read ended. */
    private enum Outcome {
        /** A 200 whose body is exactly the expected one. */
        RIGHT,
        /** A 200 whose body is not: what must never happen. */
        WRONG,
        /** A 503 with a JSON error. */
        UNAVAILABLE,
        /**
         * An instance being stopped (the one asked, or the owner it forwarded to) answered another error with a JSON
         * body; or there was no answer before the client's timeout, and an instance stopped meanwhile.
         */
        STOPPING,
        /** The connection broke after it was open: a reset, or a body cut before its end. */
        CUT,
        /** The instance had stopped listening (it is being stopped). */
        REFUSED
    }

    @Test
    void everyStreamedAnswerIsWholeAndRightOrAnHonestFailureWhilePartitionsMove() throws Exception {
        List<String> batches = batchesOnEveryPartition();
        try (Cluster cluster = new Cluster(TestNames.unique("moves") + ".", TestNames.unique("argus-moves"))) {
            cluster.start("a");
            cluster.start("b");
            ApiClient a = cluster.client("a");
            long ingestStart = System.nanoTime();
            for (String batch : batches) {
                ingest(a, batch);
            }
            for (String batch : batches) {
                await().atMost(DEADLINE).ignoreExceptions().until(() ->
                    a.get("/api/batches/" + batch).json().path("job_counts").path("done").asInt() == JOBS);
            }
            Duration ingested = Duration.ofNanos(System.nanoTime() - ingestStart);

            Map<String, Map<Read, List<String>>> expected = new LinkedHashMap<>();
            HttpClient http = httpClient();
            for (String batch : batches) {
                for (Read read : Read.values()) {
                    List<String> bodies = await().atMost(DEADLINE).until(() -> plainRead(http, read, batch,
                        cluster.port("a")), Optional::isPresent).orElseThrow();
                    assertThat(flaw(read, bodies)).as("%s of %s", read, batch).isEmpty();
                    assertThat(plainRead(http, read, batch, cluster.port("b"))).as("the other instance, %s of %s",
                        read, batch).contains(bodies);
                    expected.computeIfAbsent(batch, b -> new EnumMap<>(Read.class)).put(read, bodies);
                }
            }

            Hammer hammer = new Hammer(cluster, batches, expected);
            hammer.start();
            List<String> moves = new ArrayList<>();
            long movesStart = System.nanoTime();
            try {
                for (int move = 0; move < MOVES; move++) {
                    Map<Read, Integer> rightBefore = hammer.rightCounts();
                    String step = cluster.move(move);
                    cluster.awaitSettled(batches);
                    moves.add(step + " " + cluster.owners(batches));
                    // Reads go on between moves: every kind is answered right again before the next move.
                    await().atMost(DEADLINE).until(() -> hammer.rightCounts().entrySet().stream()
                        .allMatch(e -> e.getValue() > rightBefore.get(e.getKey())));
                }
            } finally {
                hammer.stop();
            }
            Duration moving = Duration.ofNanos(System.nanoTime() - movesStart);

            System.out.printf("moves drill: %d batches x %d jobs (%d events each) ingested and folded in %.1f s; "
                    + "%d moves in %.1f s (%s)%n%s", BATCHES, JOBS, EVENTS, ingested.toMillis() / 1000.0, MOVES,
                moving.toMillis() / 1000.0, String.join(", ", moves), hammer.figures());
            assertThat(hammer.problems).as("hammer threads' unexpected failures").isEmpty();
            assertThat(hammer.wrongAnswers).as("200s with a wrong body").isEmpty();
            assertThat(hammer.rightCounts()).as("right 200s during the moves").allSatisfy((read, right) ->
                assertThat(right).as("%s", read).isPositive());
        }
    }

    /** Reads that hammer every running instance, one thread per kind of read, and count how each ended. */
    private static final class Hammer {
        private final Cluster cluster;
        private final List<String> batches;
        private final Map<String, Map<Read, List<String>>> expected;
        private final Map<Read, Map<Outcome, AtomicInteger>> outcomes = new EnumMap<>(Read.class);
        private final AtomicInteger forwardedRight = new AtomicInteger();
        private final ConcurrentMap<String, AtomicInteger> cuts = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, AtomicInteger> stops = new ConcurrentHashMap<>();
        private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        private final Queue<String> problems = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Hammer(Cluster cluster, List<String> batches, Map<String, Map<Read, List<String>>> expected) {
            this.cluster = cluster;
            this.batches = batches;
            this.expected = expected;
            for (Read read : Read.values()) {
                Map<Outcome, AtomicInteger> counts = new EnumMap<>(Outcome.class);
                for (Outcome outcome : Outcome.values()) {
                    counts.put(outcome, new AtomicInteger());
                }
                outcomes.put(read, counts);
            }
        }

        void start() {
            for (Read read : Read.values()) {
                Thread thread = new Thread(() -> hammer(read, read.ordinal()), "hammer-" + read);
                thread.start();
                threads.add(thread);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(DEADLINE.toMillis());
                if (thread.isAlive()) {
                    problems.add(thread.getName() + " did not stop within " + DEADLINE);
                }
            }
        }

        Map<Read, Integer> rightCounts() {
            Map<Read, Integer> right = new EnumMap<>(Read.class);
            outcomes.forEach((read, counts) -> right.put(read, counts.get(Outcome.RIGHT).get()));
            return right;
        }

        int total(Outcome outcome) {
            return outcomes.values().stream().mapToInt(counts -> counts.get(outcome).get()).sum();
        }

        String figures() {
            StringBuilder figures = new StringBuilder();
            outcomes.forEach((read, counts) -> figures.append(String.format("  %-11s %s%n", read, counts)));
            figures.append(String.format("  all         %d answers, %d right (%d of them forwarded), %d wrong, "
                    + "%d 503, %d failed by a stopping instance, %d cut, %d refused%n",
                outcomes.values().stream().flatMap(c -> c.values().stream()).mapToInt(AtomicInteger::get).sum(),
                total(Outcome.RIGHT), forwardedRight.get(), total(Outcome.WRONG), total(Outcome.UNAVAILABLE),
                total(Outcome.STOPPING), total(Outcome.CUT), total(Outcome.REFUSED)));
            cuts.forEach((why, count) -> figures.append(String.format("  cut: %d x %s%n", count.get(), why)));
            stops.forEach((why, count) -> figures.append(String.format("  from a stopping instance: %d x %s%n",
                count.get(), why)));
            return figures.toString();
        }

        /**
         * Reads from the {@code first} batch on, round the batches and the running instances. Never dies: whatever a
         * read throws that is not an honest failure is kept as a problem.
         */
        private void hammer(Read read, int first) {
            HttpClient http = httpClient();
            for (long i = first; running; i++) {
                String batch = batches.get((int) (i % batches.size()));
                List<Integer> ports = cluster.livePorts();
                int port = ports.get((int) (i / batches.size() % ports.size()));
                try {
                    Outcome outcome = readOnce(http, read, batch, port);
                    outcomes.get(read).get(outcome).incrementAndGet();
                } catch (Throwable t) {
                    problems.add(LocalTime.now() + " " + read + " of " + batch + " from :" + port + ": " + t);
                }
            }
        }

        private Outcome readOnce(HttpClient http, Read read, String batch, int port) throws InterruptedException {
            List<String> bodies = new ArrayList<>();
            boolean forwarded = false;
            int stopsBefore = cluster.stopsBegun();
            String cursor = "0";
            do {
                HttpResponse<String> response;
                try {
                    response = http.send(request(read, batch, port, cursor), HttpResponse.BodyHandlers.ofString());
                } catch (HttpTimeoutException e) {
                    // The instance asked, or the owner it forwarded to, may be the one that stopped meanwhile.
                    if (cluster.stopsBegun() == stopsBefore) {
                        throw new IllegalStateException("no answer within " + REQUEST_TIMEOUT, e);
                    }
                    stops.computeIfAbsent("no answer within " + REQUEST_TIMEOUT, why -> new AtomicInteger())
                        .incrementAndGet();
                    return Outcome.STOPPING;
                } catch (ConnectException e) {
                    return Outcome.REFUSED;
                } catch (IOException e) {
                    cuts.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                        why -> new AtomicInteger()).incrementAndGet();
                    return Outcome.CUT;
                }
                if (response.statusCode() != 200) {
                    return error(read, batch, port, response);
                }
                forwarded |= response.headers().firstValue("X-Argus-Served-By").isPresent();
                bodies.add(response.body());
                cursor = read == Read.EVENTS ? nextCursor(response.body()) : null;
            } while (cursor != null && bodies.size() <= EVENTS / EVENTS_PER_PAGE + 1);

            List<String> right = expected.get(batch).get(read);
            if (bodies.equals(right)) {
                if (forwarded) {
                    forwardedRight.incrementAndGet();
                }
                return Outcome.RIGHT;
            }
            wrongAnswers.add(LocalTime.now() + " " + read + " of " + batch + " from :" + port
                + (forwarded ? " (forwarded)" : "") + " answered 200 with "
                + flaw(read, bodies).orElse("a body that differs from the first answer") + ": "
                + abbreviate(String.join("", bodies)));
            return Outcome.WRONG;
        }

        /** The next page's cursor, or null at the end (or when the page is not the JSON it should be). */
        private static String nextCursor(String page) {
            try {
                JsonNode next = ViewJson.mapper().readTree(page).path("next_cursor");
                return next.isTextual() ? next.asText() : null;
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * An error answer is honest when its body is a JSON error and it is a 503, or it comes from an instance being
         * stopped (asked, or the owner it forwarded to). A 404 is a wrong answer: the batch exists. Anything else is a
         * problem.
         */
        private Outcome error(Read read, String batch, int port, HttpResponse<String> response) {
            String answer = read + " of " + batch + " from :" + port + " answered " + response.statusCode() + " "
                + abbreviate(response.body());
            if (response.statusCode() == 404) {
                wrongAnswers.add(LocalTime.now() + " " + answer);
                return Outcome.WRONG;
            }
            if (!isJsonError(response.body())) {
                throw new IllegalStateException(answer + ": not a JSON error");
            }
            if (response.statusCode() == 503) {
                return Outcome.UNAVAILABLE;
            }
            // Jetty keeps the headers already set when a stop ends a forwarded answer: the owner's may be there.
            int owner = response.headers().firstValue("X-Argus-Served-By")
                .map(host -> Integer.parseInt(host.substring(host.lastIndexOf(':') + 1))).orElse(port);
            if (!cluster.livePorts().containsAll(List.of(port, owner))) {
                stops.computeIfAbsent(Integer.toString(response.statusCode()), why -> new AtomicInteger())
                    .incrementAndGet();
                return Outcome.STOPPING;
            }
            throw new IllegalStateException(answer + " while it and :" + owner + " were running");
        }

        private static boolean isJsonError(String body) {
            try {
                JsonNode error = ViewJson.mapper().readTree(body);
                return error.path("error").isTextual() && error.path("detail").isTextual();
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** The read once, or empty when it did not end in 200s (e.g. a 503 while the fold restores). */
    private static Optional<List<String>> plainRead(HttpClient http, Read read, String batch, int port)
        throws Exception {
        List<String> bodies = new ArrayList<>();
        String cursor = "0";
        do {
            HttpResponse<String> response = http.send(request(read, batch, port, cursor),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            bodies.add(response.body());
            cursor = read == Read.EVENTS ? Hammer.nextCursor(response.body()) : null;
        } while (cursor != null);
        return Optional.of(bodies);
    }

    private static HttpRequest request(Read read, String batch, int port, String cursor) {
        String query = read == Read.EVENTS ? "?limit=" + EVENTS_PER_PAGE + "&cursor=" + cursor : "";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/batches/" + batch + read.path
            + query)).timeout(REQUEST_TIMEOUT).GET().build();
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    /**
     * What is wrong with a read's bodies, judged on their own: each must parse whole, hold every job (or event)
     * once and nothing else, and end the way a whole body ends. Empty when nothing is wrong.
     */
    private static Optional<String> flaw(Read read, List<String> bodies) {
        try {
            return switch (read) {
                case JOBS -> jobIds(bodies, body -> {
                    List<String> ids = new ArrayList<>();
                    ViewJson.mapper().readTree(body).forEach(job -> ids.add(job.path("job_id").asText(null)));
                    return ids;
                });
                case RESULTS -> bodies.get(0).endsWith("\n") ? jobIds(bodies, body -> {
                    List<String> ids = new ArrayList<>();
                    for (String line : body.split("\n")) {
                        ids.add(ViewJson.mapper().readTree(line).path("job_id").asText(null));
                    }
                    return ids;
                }) : Optional.of("no newline at its end");
                case LEADERBOARD -> bodies.get(0).startsWith("job_id,attempt,") && bodies.get(0).endsWith("\r\n")
                    ? jobIds(bodies, body -> body.lines().skip(1).map(row -> row.split(",", 2)[0]).toList())
                    : Optional.of("no header or no line end at its end");
                case EVENTS -> eventsFlaw(bodies);
            };
        } catch (IOException | RuntimeException e) {
            return Optional.of("a body that does not parse (" + e.getMessage() + ")");
        }
    }

    @FunctionalInterface
    private interface Rows {
        List<String> ids(String body) throws IOException;
    }

    private static Optional<String> jobIds(List<String> bodies, Rows rows) throws IOException {
        if (bodies.size() != 1) {
            return Optional.of(bodies.size() + " bodies");
        }
        List<String> ids = rows.ids(bodies.get(0));
        Set<String> distinct = new HashSet<>(ids);
        Set<String> all = new HashSet<>();
        for (int job = 0; job < JOBS; job++) {
            all.add(jobId(job));
        }
        return ids.size() == JOBS && distinct.equals(all) ? Optional.empty()
            : Optional.of(ids.size() + " rows, " + distinct.size() + " distinct jobs of " + JOBS
            + (distinct.equals(all) ? "" : ", not the batch's"));
    }

    private static Optional<String> eventsFlaw(List<String> pages) throws IOException {
        Set<String> ids = new HashSet<>();
        long position = 0;
        for (String page : pages) {
            JsonNode events = ViewJson.mapper().readTree(page).path("events");
            if (!events.isArray()) {
                return Optional.of("a page that is not one: " + abbreviate(page));
            }
            for (JsonNode event : events) {
                if (event.path("position").asLong(-1) != position++) {
                    return Optional.of("event at position " + event.path("position") + " where " + (position - 1)
                        + " belongs");
                }
                ids.add(event.path("event_id").asText());
            }
        }
        return position == EVENTS && ids.size() == EVENTS ? Optional.empty()
            : Optional.of(position + " events, " + ids.size() + " distinct, of " + EVENTS);
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 150) + " ... " + body.substring(body.length() - 150);
    }

    /** Batches whose owner partitions take turns, so every partition that moves has a batch being read. */
    private static List<String> batchesOnEveryPartition() {
        EventPlacement placement = EventPlacement.rerouteAll(PARTITIONS);
        List<String> batches = new ArrayList<>();
        while (batches.size() < BATCHES) {
            String batch = TestNames.unique("b-moves");
            if (placement.owner(batch) == batches.size() % PARTITIONS) {
                batches.add(batch);
            }
        }
        return batches;
    }

    /** The batch's events as a launcher posts them: its start, then per job a start, a progress and a done. */
    private static void ingest(ApiClient api, String batch) throws Exception {
        List<String> events = new ArrayList<>(EVENTS);
        events.add(event(batch, "start", "batch_start", Map.of("source_project", "moves", "experiment_type",
            "drill", "n_total", JOBS, "command", "python sweep.py")));
        for (int job = 0; job < JOBS; job++) {
            String id = jobId(job);
            events.add(event(batch, id + "-start", "job_start", Map.of("job_id", id, "attempt", 1,
                "params", Map.of("lr", "0.0" + (job % 9 + 1), "seed", Integer.toString(job)))));
            events.add(event(batch, id + "-progress", "job_progress", Map.of("job_id", id, "attempt", 1,
                "step", 10, "metrics", Map.of("loss", job % 64 / 8.0))));
            events.add(event(batch, id + "-done", "job_done", Map.of("job_id", id, "attempt", 1,
                "metrics", Map.of("mae", job % 100 / 4.0), "output_uri", "s3://runs/" + batch + "/" + id)));
        }
        for (int from = 0; from < events.size(); from += EVENTS_PER_REQUEST) {
            ApiClient.Answer answer = api.post("/api/events",
                String.join("\n", events.subList(from, Math.min(events.size(), from + EVENTS_PER_REQUEST))));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
    }

    private static String jobId(int job) {
        return String.format("job-%05d", job);
    }

    private static String event(String batch, String id, String type, Map<String, Object> fields) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>(fields);
        json.put("type", type);
        json.put("batch_id", batch);
        json.put("event_id", batch + "-" + id);
        json.put("ts", T0.toString());
        return ViewJson.mapper().writeValueAsString(json);
    }

    /** Instances of one application, each with its own state directory, kept when it stops and starts again. */
    private final class Cluster implements AutoCloseable {
        private final String prefix;
        private final String applicationId;
        /** A fixed time: views that depend on the clock (stalled) do not change between two reads. */
        private final MutableClock clock = new MutableClock(T0.plusSeconds(30));
        private final Map<String, QueryConfig> configs = new LinkedHashMap<>();
        private final Map<String, QueryService> running = new LinkedHashMap<>();
        private volatile List<Integer> livePorts = List.of();
        private final AtomicInteger stopsBegun = new AtomicInteger();

        Cluster(String prefix, String applicationId) {
            this.prefix = prefix;
            this.applicationId = applicationId;
        }

        /** Move n of the drill: the third instance starts; the first (or second) stops and starts; the third stops. */
        String move(int n) throws Exception {
            String restarted = n / 4 % 2 == 0 ? "a" : "b";
            String step = switch (n % 4) {
                case 0 -> start("c");
                case 1 -> stop(restarted);
                case 2 -> start(restarted);
                default -> stop("c");
            };
            return step;
        }

        String start(String name) throws Exception {
            QueryConfig config = configs.computeIfAbsent(name, n -> config());
            running.put(name, QueryService.start(config, clock));
            publishPorts();
            return "start " + name;
        }

        /** Reads stop going to the instance first; those under way end as they will (cut or whole). */
        String stop(String name) {
            QueryService service = running.remove(name);
            stopsBegun.incrementAndGet();
            publishPorts();
            service.close();
            return "stop " + name;
        }

        /** Every running instance is ready and answers for every batch. */
        void awaitSettled(List<String> batches) {
            for (QueryService service : List.copyOf(running.values())) {
                ApiClient client = new ApiClient(service.port(), Optional.empty());
                await().atMost(DEADLINE).ignoreExceptions().until(() -> client.get("/readyz").status() == 200
                    && batches.stream().allMatch(b -> client.get("/api/batches/" + b).status() == 200));
            }
        }

        /** Which instance owns each batch now, by name: {@code [a, c, b]}. */
        List<String> owners(List<String> batches) {
            Map.Entry<String, QueryService> asked = running.entrySet().iterator().next();
            ApiClient client = new ApiClient(asked.getValue().port(), Optional.empty());
            List<String> owners = new ArrayList<>();
            for (String batch : batches) {
                Optional<String> owner = client.get("/api/batches/" + batch).header("X-Argus-Served-By");
                owners.add(owner.map(host -> running.entrySet().stream()
                    .filter(e -> host.endsWith(":" + e.getValue().port())).map(Map.Entry::getKey)
                    .findFirst().orElse(host)).orElse(asked.getKey()));
            }
            return owners;
        }

        List<Integer> livePorts() {
            return livePorts;
        }

        /** How many stops have begun so far. */
        int stopsBegun() {
            return stopsBegun.get();
        }

        int port(String name) {
            return running.get(name).port();
        }

        ApiClient client(String name) {
            ApiClient client = new ApiClient(port(name), Optional.empty());
            await().atMost(DEADLINE).ignoreExceptions().until(() -> client.get("/readyz").status() == 200);
            return client;
        }

        private void publishPorts() {
            livePorts = running.values().stream().map(QueryService::port).toList();
        }

        private QueryConfig config() {
            try {
                return QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                    RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
                    StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory(Path.of("target"), "moves-state").toString(),
                    QueryConfig.TOPICS_PREFIX, prefix,
                    QueryConfig.TOPICS_PARTITIONS, Integer.toString(PARTITIONS),
                    QueryConfig.HTTP_PORT, "0",
                    // A task moves to a new instance at once (restored there), not after a warm-up and a probing
                    // rebalance minutes later; members learn of a rebalance within half a second.
                    StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, "100000000",
                    "heartbeat.interval.ms", "500"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            for (QueryService service : List.copyOf(running.values())) {
                service.close();
            }
            running.clear();
        }
    }
}
