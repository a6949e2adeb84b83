package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.BatchAggregate;
import io.argus.streams.fold.Effect;
import io.argus.streams.view.BatchView;
import io.argus.streams.view.ViewJson;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * History read back from the log, on the real broker: a batch of 10,000 events, interleaved with two other batches
 * in one partition and re-sent in part, is paged through in log order with nothing missing or doubled, and
 * {@code as_of} answers exactly the fold of a prefix of the log, with producer clocks that disagree.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class HistoryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final int MAIN_EVENTS = 10_000;

    private static QueryService service;
    private static ApiClient api;
    private static final String MAIN = TestNames.unique("h-main");
    /** Every event of the main batch in the order it went to the log, re-sent copies included. */
    private static final List<ArgusEvent> mainLog = new ArrayList<>();

    @BeforeAll
    static void start(SharedTestStack stack) throws Exception {
        String prefix = TestNames.unique("history") + ".";
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-history"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Path.of("target"), "history-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.TOPICS_PARTITIONS, "1",
            QueryConfig.HTTP_PORT, "0"));
        service = QueryService.start(config, java.time.Clock.systemUTC());
        api = new ApiClient(service.port(), Optional.empty());
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/readyz").status() == 200);

        Random random = new Random(42);
        List<Generator> batches = List.of(new Generator(MAIN, random), new Generator(TestNames.unique("h-a"), random),
            new Generator(TestNames.unique("h-b"), random));
        List<ArgusEvent> log = new ArrayList<>();
        while (batches.get(0).produced < MAIN_EVENTS) {
            // Mostly the main batch, the others in between: one partition, so they interleave in the log.
            Generator next = batches.get(random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(2));
            ArgusEvent event = next.next();
            log.add(event);
            if (event.getBatchId().equals(MAIN)) {
                mainLog.add(event);
            }
        }
        try (EventPublisher publisher = new EventPublisher(config.streamsProperties(),
            service.fold().topics().events(), Duration.ofSeconds(30), Duration.ofSeconds(10))) {
            for (int from = 0; from < log.size(); from += 1_000) {
                publisher.publish(log.subList(from, Math.min(log.size(), from + 1_000)));
            }
        }
        BatchAggregate folded = BatchAggregate.fold(mainLog);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ApiClient.Answer answer = api.get("/api/batches/" + MAIN);
            return answer.status() == 200
                && answer.json().path("last_event_ts").equals(view(folded).path("last_event_ts"))
                && answer.json().path("job_counts").equals(view(folded).path("job_counts"));
        });
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void pagesThroughTheBatchInLogOrderWithNothingMissingOrDoubled() {
        List<String> expected = new ArrayList<>();
        BatchAggregate aggregate = new BatchAggregate();
        for (ArgusEvent event : mainLog) {
            if (aggregate.apply(event) != Effect.DUPLICATE) {
                expected.add(event.getEventId());
            }
        }
        assertThat(expected.size()).as("re-sent copies in the log").isLessThan(mainLog.size());

        List<String> paged = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        String cursor = "0";
        int pages = 0;
        while (cursor != null) {
            JsonNode page = api.get("/api/batches/" + MAIN + "/events?limit=1000&cursor=" + cursor).json();
            page.path("events").forEach(event -> {
                assertThat(event.path("position").asLong()).isEqualTo(paged.size());
                paged.add(event.path("event_id").asText());
                offsets.add(event.path("offset").asLong());
            });
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        }

        assertThat(paged).isEqualTo(expected);
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        assertThat(pages).isBetween(expected.size() / 1000, expected.size() / 1000 + 2);
    }

    @Test
    void asOfIsTheFoldOfAPrefixOfTheLog() {
        // Re-sent copies are not part of the history: their (old) time does not move the prefix's end.
        List<Boolean> inHistory = new ArrayList<>();
        BatchAggregate effects = new BatchAggregate();
        mainLog.forEach(event -> inHistory.add(effects.apply(event) != Effect.DUPLICATE));
        for (int minute : new int[] {1, 7, 30, 55, 90}) {
            Instant asOf = T0.plus(Duration.ofMinutes(minute));
            int prefix = 0;
            for (int i = 0; i < mainLog.size(); i++) {
                if (inHistory.get(i) && !mainLog.get(i).getTs().isAfter(asOf)) {
                    prefix = i + 1;
                }
            }
            ObjectNode expected = view(BatchAggregate.fold(mainLog.subList(0, prefix)));
            ObjectNode actual = (ObjectNode) api.get("/api/batches/" + MAIN + "?as_of=" + asOf).json();
            actual.remove("stalled");
            assertThat(actual).as("as_of %s (a prefix of %d events)", asOf, prefix).isEqualTo(expected);
        }
    }

    private static ObjectNode view(BatchAggregate aggregate) {
        return ViewJson.mapper().valueToTree(BatchView.of(aggregate.batch().orElseThrow()));
    }

    /** A batch's events: jobs that start, report progress, fail and restart or finish; clocks off by up to 40 s. */
    private static final class Generator {
        private final String batchId;
        private final Random random;
        private final List<ArgusEvent> sent = new ArrayList<>();
        private final Map<String, Integer> attempts = new HashMap<>();
        private final Map<String, Long> steps = new HashMap<>();
        private int produced;
        private int nextJob;

        Generator(String batchId, Random random) {
            this.batchId = batchId;
            this.random = random;
        }

        ArgusEvent next() {
            produced++;
            if (sent.isEmpty()) {
                return record(new BatchStart("p", "bench", 400, "run.py", null, 2, Map.of()));
            }
            if (random.nextInt(100) < 3) {
                return sent.get(random.nextInt(sent.size())); // a re-sent copy, same id
            }
            if (attempts.isEmpty() || random.nextInt(20) == 0) {
                String job = "job-" + nextJob++;
                attempts.put(job, 1);
                return record(new JobStart(job, 1, Map.of("model", "m" + random.nextInt(4))));
            }
            List<String> running = new ArrayList<>(attempts.keySet());
            String job = running.get(random.nextInt(running.size()));
            int attempt = attempts.get(job);
            int roll = random.nextInt(100);
            if (roll < 80) {
                long step = steps.merge(job, 1L, Long::sum);
                return record(new JobProgress(job, attempt, step, Map.of("loss", 1.0 / step)));
            }
            if (roll < 88) {
                attempts.remove(job);
                return record(new JobDone(job, attempt, Map.of("mae", random.nextDouble()), null, null));
            }
            if (roll < 94) {
                attempts.put(job, attempt + 1);
                steps.remove(job);
                return record(new JobFailed(job, attempt, random.nextInt(2), "OOM", "out of memory"));
            }
            if (roll < 97) {
                return record(new Attribution(job, attempt, Verdict.RESTART, "transient", "classifier"));
            }
            return record(new Heartbeat());
        }

        private ArgusEvent record(Object payload) {
            long skew = random.nextInt(40_000) - 20_000;
            ArgusEvent event = ArgusEvent.newBuilder().setEventId(batchId + "-" + produced).setBatchId(batchId)
                .setTs(T0.plusSeconds(produced / 3).plusMillis(skew)).setProducer("history-test")
                .setPayload(payload).build();
            sent.add(event);
            return event;
        }
    }
}
