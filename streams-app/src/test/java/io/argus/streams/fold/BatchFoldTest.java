package io.argus.streams.fold;

import static io.argus.streams.fold.TestEvents.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.AvroTrust;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.RestartDecision.Outcome;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.state.LaunchOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold alone: given events, then state. Each test is named after the rule it shows. */
class BatchFoldTest {

    private final TestEvents events = new TestEvents("bench-0001");

    private static BatchAggregate given(ArgusEvent... events) {
        return BatchAggregate.fold(List.of(events));
    }

    private static BatchState batchOf(BatchAggregate aggregate) {
        return aggregate.batch().orElseThrow();
    }

    @Test
    void rule1_aStartCreatesARunningBatch() {
        BatchState batch = batchOf(given(events.batchStart(0, 120)));

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.running);
        assertThat(batch.getStartTime()).isEqualTo(at(0));
        assertThat(batch.getResumeCount()).isZero();
        assertThat(batch.getNTotal()).isEqualTo(120);
        assertThat(batch.getMaxRestarts()).isEqualTo(3);
    }

    @Test
    void rule2_aStartOfAnExistingBatchResumesItAndKeepsTheStartTime() {
        BatchState batch = batchOf(given(
            events.batchStart(0, 120, 3, "python run.py"),
            events.batchDone(100, BatchOutcome.failed),
            events.batchStart(200, 130, 5, "python run.py --resume")));

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.running);
        assertThat(batch.getStartTime()).isEqualTo(at(0));
        assertThat(batch.getResumeCount()).isEqualTo(1);
        assertThat(batch.getLastResumedAt()).isEqualTo(at(200));
        assertThat(batch.getNTotal()).isEqualTo(130);
        assertThat(batch.getMaxRestarts()).isEqualTo(5);
        assertThat(batch.getCommand()).isEqualTo("python run.py --resume");
        assertThat(batch.getLaunches()).extracting(l -> l.getOutcome())
            .containsExactly(LaunchOutcome.started, LaunchOutcome.resumed);
    }

    @Test
    void rule2_aRunningOrStoppedBatchIsResumedToo() {
        BatchState running = batchOf(given(events.batchStart(0, 10), events.batchStart(50, 10)));
        BatchState stopped = batchOf(given(events.batchStart(0, 10), events.batchDone(20, BatchOutcome.stopped),
            events.batchStart(50, 10)));

        assertThat(running.getResumeCount()).isEqualTo(1);
        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.running);
        assertThat(stopped.getResumeCount()).isEqualTo(1);
    }

    @Test
    void rule3_aDoneBatchStaysDoneAndTheRelaunchIsRecorded() {
        BatchAggregate aggregate = given(
            events.batchStart(0, 10, 3, "python run.py"),
            events.batchDone(100, BatchOutcome.done));
        FoldResult relaunch = BatchFold.apply(batchOf(aggregate), null,
            events.batchStart(200, 99, 9, "python other.py"));

        assertThat(relaunch.effect()).isEqualTo(Effect.IGNORED);
        BatchState batch = relaunch.batch();
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.done);
        assertThat(batch.getResumeCount()).isZero();
        assertThat(batch.getNTotal()).as("a done batch keeps its metadata").isEqualTo(10);
        assertThat(batch.getIgnoredRelaunches()).isEqualTo(1);
        assertThat(batch.getLastIgnoredRelaunchAt()).isEqualTo(at(200));
    }

    @Test
    void rule4_batchDoneSetsTheStatusAndOnlyDoneIsFinal() {
        BatchState failed = batchOf(given(events.batchStart(0, 10), events.batchDone(10, BatchOutcome.failed)));
        BatchState done = batchOf(given(events.batchStart(0, 10), events.batchDone(10, BatchOutcome.done),
            events.batchDone(20, BatchOutcome.failed)));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.failed);
        assertThat(failed.getFinishedAt()).isEqualTo(at(10));
        assertThat(done.getStatus()).isEqualTo(BatchStatus.done);
        assertThat(done.getFinishedAt()).isEqualTo(at(10));
    }

    @Test
    void rule5_eventsBeforeTheStartAreKeptAndTheStartKeepsThem() {
        BatchAggregate before = given(events.jobDone(5, "a", 1), events.jobStart(6, "b", 1));

        assertThat(batchOf(before).getStatus()).isEqualTo(BatchStatus.unknown);
        assertThat(batchOf(before).getJobsDone()).isEqualTo(1);

        before.apply(events.batchStart(1, 120));
        BatchAggregate after = before;
        BatchState batch = batchOf(after);
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.running);
        assertThat(batch.getStartTime()).isEqualTo(at(1));
        assertThat(batch.getResumeCount()).isZero();
        assertThat(batch.getJobsDone()).isEqualTo(1);
        assertThat(batch.getJobsRunning()).isEqualTo(1);
        assertThat(after.jobs()).containsOnlyKeys("a", "b");
    }

    @Test
    void rule5_aBatchDoneBeforeItsStartStaysDone() {
        BatchState batch = batchOf(given(events.batchDone(9, BatchOutcome.done), events.batchStart(1, 3)));

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.done);
        assertThat(batch.getIgnoredRelaunches()).isZero();
        assertThat(batch.getNTotal()).isEqualTo(3);
    }

    @Test
    void rule6_aJobStartCreatesARunningJob() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(3, "dam/lstm", 1));
        JobState job = aggregate.job("dam/lstm").orElseThrow();

        assertThat(job.getStatus()).isEqualTo(JobStatus.running);
        assertThat(job.getAttempt()).isEqualTo(1);
        assertThat(job.getParams()).containsEntry("model", "lstm");
        assertThat(job.getStartedAt()).isEqualTo(at(3));
        assertThat(batchOf(aggregate).getJobsRunning()).isEqualTo(1);
    }

    @Test
    void rule6_aDoneJobStaysDoneAndALaterStartIsRecordedAsIgnored() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobDone(2, "j", 1), events.jobStart(3, "j", 2));
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getStatus()).isEqualTo(JobStatus.done);
        assertThat(job.getAttempt()).isEqualTo(1);
        assertThat(job.getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.getType()).isEqualTo("job_start");
            assertThat(entry.getNote()).startsWith("ignored");
        });
        assertThat(batchOf(aggregate).getJobsDone()).isEqualTo(1);
        assertThat(batchOf(aggregate).getJobsRunning()).isZero();
    }

    @Test
    void rule7_jobDoneCheckpointsTheResult() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobDone(60, "j", 1));
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getStatus()).isEqualTo(JobStatus.done);
        assertThat(job.getMetrics()).containsEntry("mae", 0.12);
        assertThat(job.getResult()).isEqualTo("{\"mae\":0.12}");
        assertThat(job.getFinishedAt()).isEqualTo(at(60));
        assertThat(batchOf(aggregate).getJobsDone()).isEqualTo(1);
        assertThat(batchOf(aggregate).getJobsRunning()).isZero();
    }

    @Test
    void rule8_eventsOfAnOlderAttemptAreRecordedAsStaleAndNotApplied() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.jobStart(3, "j", 2),
            events.jobDone(4, "j", 1), events.progress(5, "j", 1, 99), events.progress(6, "j", 1, 100));
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getStatus()).isEqualTo(JobStatus.running);
        assertThat(job.getAttempt()).isEqualTo(2);
        assertThat(job.getStep()).isNull();
        assertThat(job.getHistory()).extracting(h -> h.getType() + "@" + h.getAttempt())
            .as("stale progress is recorded once per attempt")
            .containsExactly("job_done@1", "job_progress@1");
        assertThat(batchOf(aggregate).getJobsRunning()).isEqualTo(1);
        assertThat(batchOf(aggregate).getJobsDone()).isZero();
    }

    @Test
    void rule9_ranksReportingOneFailureMergeAndCountersMoveOnce() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 3, "CudaOOM"), events.jobFailed(2, "j", 1, 0, "NcclTimeout"),
            events.jobFailed(3, "j", 1, 1, "NcclTimeout"));
        // Another report from rank 0 with its own id says the same: one rank, one report.
        assertThat(aggregate.apply(events.jobFailed(4, "j", 1, 0, "NcclTimeout"))).isEqualTo(Effect.DUPLICATE);
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getStatus()).isEqualTo(JobStatus.failed);
        assertThat(job.getFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.getReportEventIds()).as("ids are kept for rank-less reports only").isEmpty();
            assertThat(failure.getRanks()).containsExactly(0, 1, 3);
            assertThat(failure.getErrorType()).isEqualTo("CudaOOM");
            assertThat(failure.getFirstReportedAt()).isEqualTo(at(2));
        });
        BatchState batch = batchOf(aggregate);
        assertThat(batch.getJobsFailed()).isEqualTo(1);
        assertThat(batch.getJobsRunning()).isZero();
    }

    @Test
    void eachAttemptKeepsWhenItStartedAndHowAndWhenItFirstEnded() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(5, "j", 1, 0, "OOM"), events.jobFailed(6, "j", 1, 1, "OOM"),
            events.jobStart(8, "j", 2), events.jobDone(20, "j", 2),
            events.jobDone(30, "late", 1), events.jobStart(31, "late", 1));

        assertThat(aggregate.job("j").orElseThrow().getAttemptMarks())
            .extracting(m -> m.getAttempt() + ":" + m.getStartedAt() + "-" + m.getEndedAt() + ":" + m.getOutcome())
            .as("the second rank's report does not move the end")
            .containsExactly("1:" + at(1) + "-" + at(5) + ":failed", "2:" + at(8) + "-" + at(20) + ":done");
        assertThat(aggregate.job("late").orElseThrow().getAttemptMarks())
            .extracting(m -> m.getStartedAt() + "-" + m.getEndedAt() + ":" + m.getOutcome())
            .as("a start after the job is done is not applied, so the attempt has no start")
            .containsExactly("null-" + at(30) + ":done");
    }

    @Test
    void aStaleEndStillEndsItsAttempt() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobStart(3, "j", 2), events.jobFailed(4, "j", 1, 0, "OOM"));

        assertThat(aggregate.job("j").orElseThrow().getAttemptMarks())
            .extracting(m -> m.getAttempt() + ":" + m.getEndedAt() + ":" + m.getOutcome())
            .containsExactly("1:" + at(4) + ":failed", "2:null:null");
    }

    @Test
    void aResumeKeepsWhenTheBatchWentQuiet() {
        BatchState batch = batchOf(given(events.batchStart(0, 10), events.jobStart(2, "j", 1),
            events.progress(7, "j", 1, 10), events.batchStart(100, 10), events.batchDone(150, BatchOutcome.done),
            events.batchStart(200, 10)));

        assertThat(batch.getLaunches()).extracting(l -> l.getOutcome() + ":" + l.getQuietSince())
            .containsExactly("started:null", "resumed:" + at(7), "ignored:null");
    }

    @Test
    void rule10_progressKeepsTheLatestStepOfTheCurrentAttempt() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.progress(2, "j", 1, 10), events.progress(3, "j", 1, 30), events.progress(4, "j", 1, 20));
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getStep()).isEqualTo(30);
        assertThat(job.getProgressMetrics()).containsEntry("loss", 1.0 / 31);

        aggregate.apply(events.jobStart(5, "j", 2));
        JobState restarted = aggregate.job("j").orElseThrow();
        assertThat(restarted.getStep()).as("a new attempt starts without progress").isNull();
    }

    @Test
    void rule11_anAttributionDecidesTheAttempt() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.attribution(3, "j", 1, Verdict.RESTART),
            events.jobStart(4, "j", 2), events.jobFailed(5, "j", 2, 0, "OOM"),
            events.attribution(6, "j", 2, Verdict.STOP));

        assertThat(decide(aggregate, "j", 1).verdict()).isEqualTo(RestartDecision.Verdict.RESTART);
        Outcome second = decide(aggregate, "j", 2);
        assertThat(second.verdict()).isEqualTo(RestartDecision.Verdict.STOP);
        assertThat(second.reason()).contains("oom-classifier");
        assertThat(decide(aggregate, "j", 3).verdict()).isEqualTo(RestartDecision.Verdict.UNDECIDED);
    }

    @Test
    void rule11_theBudgetStopsTheLastAttempt() {
        BatchAggregate aggregate = given(events.batchStart(0, 10, 1, "run"), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.jobStart(3, "j", 2),
            events.jobFailed(4, "j", 2, 0, "OOM"), events.attribution(5, "j", 2, Verdict.RESTART));

        assertThat(decide(aggregate, "j", 1).verdict()).isEqualTo(RestartDecision.Verdict.UNDECIDED);
        Outcome last = decide(aggregate, "j", 2);
        assertThat(last.verdict()).isEqualTo(RestartDecision.Verdict.STOP);
        assertThat(last.restartBudget()).isEqualTo(2);
        assertThat(last.reason()).contains("budget");
    }

    @Test
    void rule11_theFirstAttributionOfAnAttemptDecides() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.attribution(3, "j", 1, Verdict.RESTART),
            events.attribution(4, "j", 1, Verdict.STOP));

        assertThat(decide(aggregate, "j", 1).verdict()).isEqualTo(RestartDecision.Verdict.RESTART);
        assertThat(aggregate.job("j").orElseThrow().getHistory()).singleElement()
            .satisfies(h -> assertThat(h.getType()).isEqualTo("attribution"));
    }

    @Test
    void rule12_aLateAttributionIsRecordedAsDroppedAndNeverStopsTheJob() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.jobStart(3, "j", 2),
            events.attribution(4, "j", 1, Verdict.STOP));
        JobState job = aggregate.job("j").orElseThrow();

        assertThat(job.getDecisions()).singleElement().satisfies(d -> {
            assertThat(d.getLate()).isTrue();
            assertThat(d.getVerdict()).isEqualTo("STOP");
        });
        assertThat(job.getStatus()).isEqualTo(JobStatus.running);
        assertThat(decide(aggregate, "j", 1).verdict()).isEqualTo(RestartDecision.Verdict.UNDECIDED);
    }

    @Test
    void rule13_aStopRequestMakesEveryLaterDecisionStop() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.jobFailed(2, "j", 1, 0, "OOM"), events.attribution(3, "j", 1, Verdict.RESTART),
            events.stopRequested(4));

        assertThat(batchOf(aggregate).getStopping()).isTrue();
        Outcome outcome = decide(aggregate, "j", 1);
        assertThat(outcome.verdict()).isEqualTo(RestartDecision.Verdict.STOP);
        assertThat(outcome.reason()).contains("alice");
    }

    @Test
    void rule13_aResumeLiftsAnEarlierStopRequest() {
        BatchState batch = batchOf(given(events.batchStart(0, 10), events.stopRequested(4),
            events.batchDone(5, BatchOutcome.stopped), events.batchStart(9, 10)));

        assertThat(batch.getStopping()).isFalse();
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.running);
    }

    @Test
    void rule14_heartbeatsUpdateLastSeenAndEveryEventLastEventTs() {
        BatchState batch = batchOf(given(events.batchStart(0, 10), events.heartbeat(30),
            events.jobStart(45, "j", 1), events.heartbeat(20)));

        assertThat(batch.getLastSeen()).isEqualTo(at(30));
        assertThat(batch.getLastEventTs()).isEqualTo(at(45));
    }

    @Test
    void applyingAnEventTwiceChangesNothing() {
        List<ArgusEvent> all = List.of(events.batchStart(0, 10), events.jobStart(1, "j", 1),
            events.progress(2, "j", 1, 5), events.jobFailed(3, "j", 1, 2, "OOM"),
            events.attribution(4, "j", 1, Verdict.RESTART), events.jobStart(5, "j", 2),
            events.jobDone(6, "j", 2), events.stopRequested(7), events.batchDone(8, BatchOutcome.stopped),
            events.batchStart(9, 10), events.heartbeat(10));
        BatchState batch = null;
        JobState job = null;
        for (ArgusEvent event : all) {
            FoldResult once = BatchFold.apply(batch, job, event);
            JobState jobOnce = once.job().orElse(job);
            FoldResult twice = BatchFold.apply(once.batch(), jobOnce, event);

            assertThat(twice.effect()).as("effect of %s applied again", event.getPayload())
                .isIn(Effect.DUPLICATE, Effect.IGNORED);
            assertThat(twice.batch()).as("batch after %s twice", event.getPayload()).isEqualTo(once.batch());
            assertThat(twice.job().orElse(jobOnce)).as("job after %s twice", event.getPayload()).isEqualTo(jobOnce);
            batch = once.batch();
            job = jobOnce;
        }
    }

    @Test
    void aReSentEventChangesNothingEvenAfterTheJobMovedOn() {
        ArgusEvent firstStart = events.jobStart(1, "j", 1);
        BatchAggregate aggregate = given(events.batchStart(0, 10), firstStart,
            events.jobFailed(2, "j", 1, 0, "OOM"), events.jobStart(3, "j", 2));
        JobState before = aggregate.job("j").orElseThrow();

        assertThat(aggregate.apply(firstStart)).isEqualTo(Effect.DUPLICATE);
        assertThat(aggregate.job("j")).contains(before);
    }

    @Test
    void theFoldDoesNotChangeItsInputs() {
        BatchAggregate aggregate = given(events.batchStart(0, 10), events.jobStart(1, "j", 1));
        AvroTrust.trustGeneratedClasses(); // for this test's deep copies (Avro's builders); the fold needs none
        BatchState batchBefore = BatchState.newBuilder(batchOf(aggregate)).build();
        JobState jobBefore = JobState.newBuilder(aggregate.job("j").orElseThrow()).build();

        BatchFold.apply(batchOf(aggregate), aggregate.job("j").orElseThrow(), events.jobDone(2, "j", 1));

        assertThat(batchOf(aggregate)).isEqualTo(batchBefore);
        assertThat(aggregate.job("j")).contains(jobBefore);
    }

    private static Outcome decide(BatchAggregate aggregate, String jobId, int attempt) {
        return RestartDecision.decide(batchOf(aggregate), aggregate.job(jobId), attempt);
    }

}
