package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a Reporter publishes, read back from the real topic through the real registry. */
@ExtendWith(RealKafkaAndRegistry.class)
class ReporterIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private TestReporters setup;

    @BeforeEach
    void isolate(SharedTestStack stack) {
        setup = new TestReporters(stack, "reporter");
    }

    @Test
    void aBatchIsPublishedInOrderAndEndsDoneWhenEveryPlannedJobIs() {
        String batch = TestNames.unique("b-done");
        try (Reporter reporter = setup.builder(batch).maxRestarts(2).label("team", "ml").open()) {
            try (JobScope job = reporter.job("dam/lstm", Map.of("model", "lstm"))) {
                job.progress(10, Map.of("loss", 0.5));
                job.done(Map.of("mae", 0.12), "{\"mae\":0.12}");
            }
            reporter.run("dam/tcn", Map.of(), job -> job.done(Map.of("mae", 0.2)));
            reporter.run("solar/lstm", Map.of(), job -> job.progress(1, Map.of()));
        }

        List<ArgusEvent> events = setup.log().read(batch);
        assertThat(EventLog.types(events)).containsExactly("batch_start", "job_start", "job_progress", "job_done",
            "job_start", "job_done", "job_start", "job_progress", "job_done", "batch_done");
        assertThat(events).extracting(ArgusEvent::getEventId).doesNotHaveDuplicates();
        BatchStart start = (BatchStart) events.get(0).getPayload();
        assertThat(start.getNTotal()).isEqualTo(3);
        assertThat(start.getMaxRestarts()).isEqualTo(2);
        assertThat(start.getGitSha()).isEqualTo(TestReporters.SHA);
        assertThat(start.getLabels()).containsEntry("team", "ml");
        assertThat(start.getCommand()).as("this JVM's command line").contains("java");
        JobDone done = (JobDone) events.get(3).getPayload();
        assertThat(done.getAttempt()).isEqualTo(1);
        assertThat(done.getMetrics()).containsEntry("mae", 0.12);
        assertThat(done.getResult()).isEqualTo("{\"mae\":0.12}");
        assertThat(((JobProgress) events.get(2).getPayload()).getStep()).isEqualTo(10);
        assertThat(((BatchDone) events.get(9).getPayload()).getStatus()).isEqualTo(BatchOutcome.done);
        assertThat(events).allSatisfy(e -> assertThat(e.getProducer()).contains("/" + ProcessHandle.current().pid()));
    }

    @Test
    void aFailureIsReportedWithTheExceptionsTypeAndMessageAndEndsTheBatchFailed() {
        String batch = TestNames.unique("b-failed");
        try (Reporter reporter = setup.builder(batch).open()) {
            reporter.run("a", Map.of(), job -> job.done(Map.of()));
            assertThatThrownBy(() -> reporter.run("b", Map.of(), job -> {
                throw new IllegalStateException("CUDA out of memory");
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> reporter.run("c", Map.of(), job -> {
                throw new IOException("disk full");
            })).isInstanceOf(JobFailedException.class).hasCauseInstanceOf(IOException.class);
        }

        List<ArgusEvent> events = setup.log().read(batch);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobFailed)
            .extracting(e -> (JobFailed) e.getPayload())
            .extracting(f -> f.getJobId() + " " + f.getErrorType() + ": " + f.getMessage())
            .containsExactly("b java.lang.IllegalStateException: CUDA out of memory",
                "c java.io.IOException: disk full");
        assertThat(((BatchDone) events.get(events.size() - 1).getPayload()).getStatus())
            .isEqualTo(BatchOutcome.failed);
    }

    @Test
    void aScopeClosedWithoutAnOutcomeReportsAFailureSoTheJobDoesNotLookRunning() {
        String batch = TestNames.unique("b-unreported");
        try (Reporter reporter = setup.builder(batch).open()) {
            try (JobScope job = reporter.job("a", Map.of())) {
                job.progress(1, Map.of());
            }
            JobScope again = reporter.job("a", Map.of());
            assertThat(again.attempt()).as("this process's count continues").isEqualTo(2);
            assertThatThrownBy(() -> reporter.job("a", Map.of())).hasMessageContaining("still open");
            again.done(Map.of());
            assertThatThrownBy(() -> again.progress(2, Map.of())).hasMessageContaining("already done");
        }

        List<ArgusEvent> events = setup.log().read(batch);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobFailed).singleElement()
            .satisfies(e -> assertThat(((JobFailed) e.getPayload()).getErrorType()).isEqualTo(JobScope.UNREPORTED));
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobStart)
            .extracting(e -> ((JobStart) e.getPayload()).getAttempt()).containsExactly(1, 2);
        assertThat(EventLog.types(events)).last().as("one of three jobs done: no batch_done")
            .isEqualTo("job_done");
    }

    @Test
    void aPlanWithJobsLeftPublishesNoBatchDone() {
        String batch = TestNames.unique("b-open");
        try (Reporter reporter = setup.builder(batch).nTotal(5).open()) {
            reporter.run("a", Map.of(), job -> job.done(Map.of()));
        }
        assertThat(EventLog.types(setup.log().read(batch))).containsExactly("batch_start", "job_start", "job_done");
    }

    @Test
    void heartbeatsArePublishedWhileTheReporterIsOpen() {
        String batch = TestNames.unique("b-heartbeat");
        try (Reporter reporter = setup.builder(batch).config(ReporterConfig.HEARTBEAT_INTERVAL_MS, "100").open()) {
            await().atMost(DEADLINE).until(() -> EventLog.types(setup.log().read(reporter.batchId())).stream()
                .filter("heartbeat"::equals).count() >= 3);
        }
    }

    @Test
    void doneReturnsOnlyOnceKafkaHasTheResult() {
        String batch = TestNames.unique("b-durable");
        try (Reporter reporter = setup.builder(batch).open()) {
            try (JobScope job = reporter.job("a", Map.of())) {
                job.done(Map.of("mae", 1.0));
                // No flush: done() itself waited for the acknowledgement.
                assertThat(EventLog.types(setup.log().read(batch))).contains("job_done");
            }
        }
    }
}
