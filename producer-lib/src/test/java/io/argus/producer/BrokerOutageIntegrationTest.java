package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.embedded.FreePorts;
import io.argus.embedded.StandaloneKafkaBroker;
import io.argus.schemas.ArgusTopics;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobStart;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker that stops while jobs finish and comes back on the same port and data: every done() returns in bounded
 * time (acknowledged or spooled), and once the broker is back everything reaches the log, in order, nothing lost.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class BrokerOutageIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int JOBS = 12;
    private static final int BEFORE_OUTAGE = 4;

    @Test
    void jobsFinishingWhileTheBrokerIsDownLoseNothing(SharedTestStack stack) throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "outage-kafka");
        int port = FreePorts.loopback();
        String prefix = TestNames.unique("outage") + ".";
        String topic = prefix + ArgusTopics.EVENTS;
        TestReporters setup = new TestReporters(stack, prefix, false);
        String batch = TestNames.unique("b-outage");
        StandaloneKafkaBroker broker = StandaloneKafkaBroker.start(dataDir, port);
        try {
            createTopic(broker.bootstrapServers(), topic);
            List<Duration> outageDoneTimes = new ArrayList<>();
            try (Reporter reporter = setup.builder(batch).nTotal(JOBS)
                .config(ReporterConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                .config("max.block.ms", "500")
                .config("request.timeout.ms", "1000")
                .config("delivery.timeout.ms", "3000")
                .config(ReporterConfig.DONE_TIMEOUT_MS, "1000")
                .open()) {
                for (int i = 1; i <= BEFORE_OUTAGE; i++) {
                    runJob(reporter, i);
                }
                assertThat(reporter.undelivered()).isZero();

                broker.close();
                for (int i = BEFORE_OUTAGE + 1; i <= JOBS; i++) {
                    long started = System.nanoTime();
                    runJob(reporter, i);
                    outageDoneTimes.add(Duration.ofNanos(System.nanoTime() - started));
                }
                assertThat(reporter.undelivered()).as("spooled while the broker is down").isPositive();

                broker = StandaloneKafkaBroker.start(dataDir, port);
                await().atMost(DEADLINE).until(() -> reporter.undelivered() == 0);
            }
            assertThat(outageDoneTimes).as("each done() is acknowledged or spooled within the done timeout")
                .allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(4)));

            List<ArgusEvent> log = new EventLog(broker.bootstrapServers(), stack.registry().confluentApiUrl(), topic)
                .read(batch);
            assertThat(firstOccurrences(log)).containsExactlyElementsOf(expected());
        } finally {
            broker.close();
        }
    }

    private static void runJob(Reporter reporter, int i) {
        reporter.run("job-" + i, Map.of("i", Integer.toString(i)), job -> job.done(Map.of("score", (double) i)));
    }

    /** The log may hold a re-sent event twice (same id); each id's first copy, described, in log order. */
    private static List<String> firstOccurrences(List<ArgusEvent> log) {
        Map<String, String> byId = new LinkedHashMap<>();
        log.forEach(event -> byId.putIfAbsent(event.getEventId(), describe(event)));
        return new ArrayList<>(byId.values());
    }

    private static List<String> expected() {
        List<String> expected = new ArrayList<>(List.of("batch_start"));
        for (int i = 1; i <= JOBS; i++) {
            expected.add("job_start job-" + i);
            expected.add("job_done job-" + i);
        }
        expected.add("batch_done");
        return expected;
    }

    private static String describe(ArgusEvent event) {
        if (event.getPayload() instanceof JobStart start) {
            return "job_start " + start.getJobId();
        }
        if (event.getPayload() instanceof JobDone done) {
            return "job_done " + done.getJobId();
        }
        return EventLog.type(event);
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }
}
