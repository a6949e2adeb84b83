package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobStart;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The spool against the real broker: events published while Kafka cannot be reached (a closed port) are delivered
 * in order, with their ids, by the next Reporter on the same spool; a torn spool tail does not stop that.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class SpoolRedeliveryIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private TestReporters setup;

    @BeforeEach
    void isolate(SharedTestStack stack) {
        setup = new TestReporters(stack, "redeliver");
    }

    @Test
    void eventsPublishedWhileKafkaIsUnreachableAreSentInOrderByTheNextReporterOnTheSpool() throws IOException {
        String batch = TestNames.unique("b-offline");
        try (Reporter offline = unreachable(setup.builder(batch)).open()) {
            for (String jobId : List.of("a", "b", "c")) {
                long started = System.nanoTime();
                reporterRun(offline, jobId);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("done() waits a bounded time, then spools").isLessThan(Duration.ofSeconds(5));
            }
            assertThat(offline.undelivered()).isGreaterThanOrEqualTo(7);
        }
        List<ArgusEvent> spooled = spooled(batch);
        assertThat(EventLog.types(spooled)).containsExactly("batch_start", "job_start", "job_done", "job_start",
            "job_done", "job_start", "job_done", "batch_done");
        assertThat(setup.log().read(batch)).isEmpty();

        try (Reporter next = setup.builder(batch).open()) {
            assertThat(next.flush(DEADLINE)).isTrue();
        }
        List<ArgusEvent> delivered = setup.log().read(batch);
        assertThat(delivered.subList(0, spooled.size())).containsExactlyElementsOf(spooled);
        assertThat(EventLog.types(delivered.subList(spooled.size(), delivered.size()))).containsExactly("batch_start");
        assertThat(Files.size(setup.spoolRoot.resolve(batch).resolve(Spool.EVENTS_FILE))).isZero();
    }

    @Test
    void aReporterReopenedOnASpoolWithATornTailDeliversTheWholeRecordsAndCarriesOn() throws IOException {
        String batch = TestNames.unique("b-torn");
        Path dir = setup.spoolRoot.resolve(batch);
        Events events = new Events(batch, "crashed/1/x", Clock.systemUTC());
        List<ArgusEvent> before = List.of(events.wrap(new JobStart("a", 1, Map.of())),
            events.wrap(new JobDone("a", 1, Map.of("mae", 0.3), null, null)));
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            spool.append(before, true);
        }
        Files.write(dir.resolve(Spool.EVENTS_FILE), new byte[] {0, 0, 0, 90, 7, 7}, StandardOpenOption.APPEND);

        try (Reporter reporter = setup.builder(batch).open()) {
            reporter.run("b", Map.of(), job -> job.done(Map.of()));
            assertThat(reporter.flush(DEADLINE)).isTrue();
        }
        List<ArgusEvent> delivered = setup.log().read(batch);
        assertThat(delivered.subList(0, 2)).containsExactlyElementsOf(before);
        assertThat(EventLog.types(delivered.subList(2, delivered.size())))
            .containsExactly("batch_start", "job_start", "job_done");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.contains(".corrupt-"));
        }
    }

    @Test
    void whenTheSpoolIsFullDoneFailsClearlyAndBackgroundEventsAreDroppedWithoutHarm() throws IOException {
        String batch = TestNames.unique("b-full");
        List<RuntimeException> failures = new ArrayList<>();
        try (Reporter offline = unreachable(setup.builder(batch))
            .config(ReporterConfig.SPOOL_MAX_BYTES, "2000").nTotal(50).open()) {
            for (int i = 0; i < 50 && failures.isEmpty(); i++) {
                JobScope job = offline.job("j" + i, Map.of());
                job.progress(1, Map.of("loss", 1.0));
                try {
                    job.done(Map.of());
                } catch (SpoolFullException e) {
                    failures.add(e);
                    job.failed(e);
                }
            }
            assertThat(offline.dropped()).as("the job_failed after it did not fit either").isPositive();
        }
        assertThat(failures).singleElement().satisfies(e -> assertThat(e)
            .hasMessageContaining("is full").hasMessageContaining(ReporterConfig.SPOOL_MAX_BYTES));
    }

    private void reporterRun(Reporter reporter, String jobId) {
        reporter.run(jobId, Map.of("model", jobId), job -> job.done(Map.of("mae", 0.1)));
    }

    /** What is in a batch's spool now, oldest first. */
    private List<ArgusEvent> spooled(String batch) {
        try (Spool spool = Spool.open(setup.spoolRoot.resolve(batch), 1 << 20)) {
            return spool.readPending(10_000).events();
        }
    }

    /** Points the builder at a port where nothing listens, with short waits. */
    private static ReporterBuilder unreachable(ReporterBuilder builder) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        return builder
            .config(ReporterConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + closedPort)
            .config("max.block.ms", "300")
            .config("request.timeout.ms", "300")
            .config("delivery.timeout.ms", "1000")
            .config(ReporterConfig.DONE_TIMEOUT_MS, "500")
            .config(ReporterConfig.CLOSE_TIMEOUT_MS, "500");
    }
}
