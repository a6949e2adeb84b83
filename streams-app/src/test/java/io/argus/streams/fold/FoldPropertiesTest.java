package io.argus.streams.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.AvroTrust;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.Heartbeat;
import io.argus.streams.fold.EventSequences.Step;
import io.argus.streams.fold.RestartDecision.Outcome;
import io.argus.streams.fold.RestartDecision.Verdict;
import io.argus.streams.state.BatchState;
import io.argus.streams.topology.StateSerde;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Properties of the fold over random event sequences of one batch: out-of-order times, older attempts, re-sent
 * events, relaunches and stop requests in any order. Each property is named after what it says; a failure shrinks to
 * a short list of {@link Step}s that can be turned into a {@code BatchFoldTest} case.
 */
class FoldPropertiesTest {

    private static final StateSerde<BatchState> BATCH_SERDE = new StateSerde<>(BatchState::new);
    private static final StateSerde<JobState> JOB_SERDE = new StateSerde<>(JobState::new);

    static {
        AvroTrust.trustGeneratedClasses();
    }

    /**
     * Tries per property. Edge cases are off: jqwik's mixed-in edge cases are mostly empty or one-element lists and
     * would crowd out the long sequences; {@link EventSequences#sequences()} spreads lengths 0 to 60 evenly instead.
     */
    private static final int TRIES = 400;

    /** The state after a prefix of the sequence: deep copies, so folding on cannot change them. */
    private record Snapshot(Optional<BatchState> batch, SortedMap<String, JobState> jobs) {
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        return EventSequences.sequences();
    }

    @Provide
    Arbitrary<List<Tuple2<Integer, Integer>>> duplicates() {
        return EventSequences.duplicates();
    }

    // --- 1

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void startTimeNeverChangesOnceSet(@ForAll("sequences") List<Step> steps) {
        List<Snapshot> prefixes = prefixes(steps);
        Long startTime = null;
        for (int i = 1; i < prefixes.size(); i++) {
            Long now = prefixes.get(i).batch().orElseThrow().getStartTime();
            if (startTime != null) {
                assertThat(now).as("start_time after %s (step %d)", steps.get(i - 1), i - 1).isEqualTo(startTime);
            }
            startTime = now;
        }
    }

    /** Rule 14 under out-of-order times: the latest time wins, whatever the order the events came in. */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void lastEventTsAndLastSeenAreTheLatestTimesSoFar(@ForAll("sequences") List<Step> steps) {
        List<ArgusEvent> events = EventSequences.toEvents(steps);
        List<Snapshot> prefixes = prefixes(steps);
        long latest = Long.MIN_VALUE;
        Long latestHeartbeat = null;
        for (int i = 1; i < prefixes.size(); i++) {
            ArgusEvent event = events.get(i - 1);
            long ts = event.getTs().toEpochMilli();
            latest = Math.max(latest, ts);
            if (event.getPayload() instanceof Heartbeat) {
                latestHeartbeat = latestHeartbeat == null ? ts : Math.max(latestHeartbeat, ts);
            }
            BatchState batch = prefixes.get(i).batch().orElseThrow();
            assertThat(batch.getLastEventTs()).as("last_event_ts after %s (step %d)", steps.get(i - 1), i - 1)
                .isEqualTo(latest);
            assertThat(batch.getLastSeen()).as("last_seen after %s (step %d)", steps.get(i - 1), i - 1)
                .isEqualTo(latestHeartbeat);
        }
    }

    // --- 2

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void doneNeverReverts(@ForAll("sequences") List<Step> steps) {
        List<Snapshot> prefixes = prefixes(steps);
        for (int i = 1; i + 1 < prefixes.size(); i++) {
            Snapshot before = prefixes.get(i);
            Snapshot after = prefixes.get(i + 1);
            String when = "after " + steps.get(i) + " (step " + i + ")";
            if (before.batch().orElseThrow().getStatus() == BatchStatus.done) {
                assertThat(after.batch().orElseThrow().getStatus()).as("batch status %s", when)
                    .isEqualTo(BatchStatus.done);
            }
            for (JobState done : before.jobs().values()) {
                if (done.getStatus() != JobStatus.done) {
                    continue;
                }
                JobState later = after.jobs().get(done.getJobId());
                String job = "job " + done.getJobId() + " " + when;
                assertThat(later.getStatus()).as("status of %s", job).isEqualTo(JobStatus.done);
                assertThat(later.getAttempt()).as("attempt of %s", job).isEqualTo(done.getAttempt());
                assertThat(later.getMetrics()).as("metrics of %s", job).isEqualTo(done.getMetrics());
                assertThat(later.getResult()).as("result of %s", job).isEqualTo(done.getResult());
                assertThat(later.getOutputUri()).as("output_uri of %s", job).isEqualTo(done.getOutputUri());
                assertThat(later.getFinishedAt()).as("finished_at of %s", job).isEqualTo(done.getFinishedAt());
            }
        }
    }

    // --- 3

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void jobCountsEqualTheJobs(@ForAll("sequences") List<Step> steps) {
        List<Snapshot> prefixes = prefixes(steps);
        for (int i = 1; i < prefixes.size(); i++) {
            BatchState batch = prefixes.get(i).batch().orElseThrow();
            Map<JobStatus, Integer> counted = new HashMap<>();
            prefixes.get(i).jobs().values().forEach(job -> counted.merge(job.getStatus(), 1, Integer::sum));
            String when = "after " + steps.get(i - 1) + " (step " + (i - 1) + ")";
            assertThat(batch.getJobsRunning()).as("jobs_running %s", when)
                .isEqualTo(counted.getOrDefault(JobStatus.running, 0)).isNotNegative();
            assertThat(batch.getJobsDone()).as("jobs_done %s", when)
                .isEqualTo(counted.getOrDefault(JobStatus.done, 0)).isNotNegative();
            assertThat(batch.getJobsFailed()).as("jobs_failed %s", when)
                .isEqualTo(counted.getOrDefault(JobStatus.failed, 0)).isNotNegative();
        }
    }

    // --- 4

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void duplicatesChangeNothing(@ForAll("sequences") List<Step> steps,
                                 @ForAll("duplicates") List<Tuple2<Integer, Integer>> duplicates) {
        List<ArgusEvent> events = EventSequences.toEvents(steps);
        List<ArgusEvent> resent = EventSequences.withDuplicates(events, duplicates);

        BatchAggregate once = BatchAggregate.fold(events);
        BatchAggregate withDuplicates = new BatchAggregate();
        Set<String> seen = new HashSet<>();
        for (ArgusEvent event : resent) {
            Effect effect = withDuplicates.apply(event);
            if (!seen.add(event.getEventId())) {
                assertThat(effect).as("effect of re-sent %s", event.getEventId()).isEqualTo(Effect.DUPLICATE);
            }
        }

        assertSameState(withDuplicates, once, "with duplicates " + ids(resent));
    }

    // --- 4, the rules alone

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void anEventAppliedTwiceInARowIsADuplicateAndChangesNothing(@ForAll("sequences") List<Step> steps) {
        BatchAggregate aggregate = new BatchAggregate();
        for (ArgusEvent event : EventSequences.toEvents(steps)) {
            BatchState batch = aggregate.batch().orElse(null);
            JobState job = JobIds.of(event).flatMap(aggregate::job).orElse(null);
            FoldResult once = BatchFold.apply(batch, job, event);
            JobState jobOnce = once.job().orElse(job);
            FoldResult twice = BatchFold.apply(once.batch(), jobOnce, event);

            String what = event.getEventId() + " " + event.getPayload();
            assertThat(twice.effect()).as("effect of %s applied again", what).isEqualTo(Effect.DUPLICATE);
            assertThat(twice.batchChanged() || twice.jobChanged()).as("changed flags of %s again", what).isFalse();
            assertThat(twice.batch()).as("batch after %s twice", what).isEqualTo(once.batch());
            assertThat(twice.job().orElse(jobOnce)).as("job after %s twice", what).isEqualTo(jobOnce);
            aggregate.apply(event);
        }
    }

    // --- 5

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void replayedTwiceGivesTheSameStateAndTheSameBytes(@ForAll("sequences") List<Step> steps) {
        BatchAggregate first = BatchAggregate.fold(EventSequences.toEvents(steps));
        BatchAggregate second = BatchAggregate.fold(EventSequences.toEvents(steps));

        assertSameState(second, first, "second replay");

        // The same through the store, as two applications that fold the same log (what StoreDigest compares).
        Store firstStore = Store.fold(EventSequences.toEvents(steps));
        Store secondStore = Store.fold(EventSequences.toEvents(steps));
        assertThat(secondStore.batch().orElse(null)).as("batch bytes in the store, second replay")
            .isEqualTo(firstStore.batch().orElse(null));
        assertThat(secondStore.jobs().keySet()).isEqualTo(firstStore.jobs().keySet());
        firstStore.jobs().forEach((jobId, bytes) -> assertThat(secondStore.jobs().get(jobId))
            .as("bytes of job %s in the store, second replay", jobId).isEqualTo(bytes));
    }

    /**
     * The Streams processor keeps the records in stores, so it reads each one back from its bytes before the next
     * event; replay and time travel fold in memory with {@link BatchAggregate}. Both must give the same records.
     */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aFoldThroughTheStoreGivesTheSameStateAsTheFoldInMemory(@ForAll("sequences") List<Step> steps) {
        List<ArgusEvent> events = EventSequences.toEvents(steps);
        BatchAggregate inMemory = BatchAggregate.fold(events);
        Store store = Store.fold(events);

        assertThat(store.batch().map(FoldPropertiesTest::decodeBatch)).as("batch from the store")
            .isEqualTo(inMemory.batch());
        assertThat(store.jobs().keySet()).as("jobs in the store").isEqualTo(inMemory.jobs().keySet());
        store.jobs().forEach((jobId, bytes) -> assertThat(decodeJob(bytes)).as("job %s from the store", jobId)
            .isEqualTo(inMemory.jobs().get(jobId)));
    }

    /**
     * The same, byte for byte: equal records encode to equal bytes whatever maps they hold. Avro's copies and reads
     * turn the fold's sorted maps into hash maps, so this holds only because StateSerde writes map entries in key
     * order (found by this property: {@code [heartbeat(0s), batchStart(0s, labels={zone, team}), heartbeat(0s)]}).
     */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aFoldThroughTheStoreGivesTheSameBytesAsTheFoldInMemory(@ForAll("sequences") List<Step> steps) {
        List<ArgusEvent> events = EventSequences.toEvents(steps);
        BatchAggregate inMemory = BatchAggregate.fold(events);
        Store store = Store.fold(events);

        assertThat(inMemory.batch().map(FoldPropertiesTest::bytes).orElse(null))
            .as("bytes of the batch in memory vs the store").isEqualTo(store.batch().orElse(null));
        store.jobs().forEach((jobId, bytes) -> assertThat(bytes(inMemory.jobs().get(jobId)))
            .as("bytes of job %s in memory vs the store", jobId).isEqualTo(bytes));
    }

    /**
     * The records as FoldProcessor keeps them: bytes, decoded before each event, written only when the fold says
     * they changed (and then a record it says is unchanged must equal its input: nothing compares deeply there).
     */
    private record Store(Optional<byte[]> batch, SortedMap<String, byte[]> jobs) {

        static Store fold(List<ArgusEvent> events) {
            byte[] batchBytes = null;
            SortedMap<String, byte[]> jobBytes = new TreeMap<>();
            for (ArgusEvent event : events) {
                BatchState before = batchBytes == null ? null : decodeBatch(batchBytes);
                Optional<String> jobId = JobIds.of(event);
                JobState job = jobId.map(jobBytes::get).map(FoldPropertiesTest::decodeJob).orElse(null);
                FoldResult result = BatchFold.apply(before, job, event);
                if (result.jobChanged()) {
                    jobBytes.put(jobId.orElseThrow(), bytes(result.job().orElseThrow()));
                } else {
                    assertThat(result.job().orElse(job)).as("job said unchanged by %s", event).isEqualTo(job);
                }
                if (result.batchChanged()) {
                    batchBytes = bytes(result.batch());
                } else {
                    assertThat(result.batch()).as("batch said unchanged by %s", event).isEqualTo(before);
                }
            }
            return new Store(Optional.ofNullable(batchBytes), jobBytes);
        }
    }

    // --- 6

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void attemptsOnlyMoveForward(@ForAll("sequences") List<Step> steps) {
        List<Snapshot> prefixes = prefixes(steps);
        Map<String, Integer> highest = new HashMap<>();
        for (int i = 1; i < prefixes.size(); i++) {
            for (JobState job : prefixes.get(i).jobs().values()) {
                Integer before = highest.get(job.getJobId());
                if (before != null) {
                    assertThat(job.getAttempt()).as("attempt of job %s after %s (step %d)", job.getJobId(),
                        steps.get(i - 1), i - 1).isGreaterThanOrEqualTo(before);
                }
                highest.put(job.getJobId(), job.getAttempt());
            }
            // A job once seen is never forgotten.
            assertThat(prefixes.get(i).jobs().keySet()).containsAll(prefixes.get(i - 1).jobs().keySet());
        }
    }

    // --- 7

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void theFoldNeverMutatesItsInputsAndNeverThrowsForValidEvents(
        @ForAll("sequences") List<Step> steps, @ForAll("duplicates") List<Tuple2<Integer, Integer>> duplicates) {
        // Re-sent events included: the rules see them too when the id set is not in front (e.g. a rebuilt store).
        List<ArgusEvent> events = EventSequences.withDuplicates(EventSequences.toEvents(steps), duplicates);
        BatchAggregate aggregate = new BatchAggregate();
        for (ArgusEvent event : events) {
            assertThat(EventValidator.validate(event)).as("violation of generated %s", event).isEmpty();

            BatchState batch = aggregate.batch().orElse(null);
            JobState job = JobIds.of(event).flatMap(aggregate::job).orElse(null);
            BatchState batchCopy = batch == null ? null : BatchState.newBuilder(batch).build();
            JobState jobCopy = job == null ? null : JobState.newBuilder(job).build();
            ArgusEvent eventCopy = ArgusEvent.newBuilder(event).build();
            byte[] batchBytes = batch == null ? null : bytes(batch);
            byte[] jobBytes = job == null ? null : bytes(job);
            byte[] eventBytes = bytes(event);

            FoldResult onOriginals = BatchFold.apply(batch, job, event);

            String what = event.getEventId() + " " + event.getPayload();
            assertThat(batch).as("batch after folding %s", what).isEqualTo(batchCopy);
            assertThat(job).as("job after folding %s", what).isEqualTo(jobCopy);
            assertThat(event).as("event after folding it").isEqualTo(eventCopy);
            assertThat(batch == null ? null : bytes(batch)).as("batch bytes after folding %s", what)
                .isEqualTo(batchBytes);
            assertThat(job == null ? null : bytes(job)).as("job bytes after folding %s", what).isEqualTo(jobBytes);
            assertThat(bytes(event)).as("event bytes after folding %s", what).isEqualTo(eventBytes);
            assertThat(onOriginals.job().isPresent()).as("a job record for %s", what)
                .isEqualTo(JobIds.of(event).isPresent());

            FoldResult onCopies = BatchFold.apply(batchCopy, jobCopy, eventCopy);
            assertThat(onCopies).as("fold of copies of %s", what).isEqualTo(onOriginals);

            aggregate.apply(event);
        }
    }

    // --- optional: restart decisions

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void restartDecisionsAreDeterministic(@ForAll("sequences") List<Step> steps) {
        BatchAggregate first = BatchAggregate.fold(EventSequences.toEvents(steps));
        BatchAggregate second = BatchAggregate.fold(EventSequences.toEvents(steps));
        if (first.batch().isEmpty()) {
            return;
        }
        for (String jobId : EventSequences.JOB_IDS) {
            for (int attempt = 1; attempt <= EventSequences.MAX_ATTEMPT + 1; attempt++) {
                assertThat(decide(second, jobId, attempt)).as("decision for job %s attempt %d", jobId, attempt)
                    .isEqualTo(decide(first, jobId, attempt));
            }
        }
    }

    /**
     * Rule 12: an attribution that arrives when its attempt is no longer the job's latest (or the job is done) never
     * decides that attempt, whatever comes after it. STOP for that attempt can only come from a stop request, a spent
     * budget, or an attribution of that attempt that was on time; and dropping the late one changes no decision.
     */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aLateAttributionNeverStopsItsAttempt(@ForAll("sequences") List<Step> steps) {
        List<ArgusEvent> events = EventSequences.toEvents(steps);
        BatchAggregate aggregate = new BatchAggregate();
        List<ArgusEvent> late = new ArrayList<>();
        for (ArgusEvent event : events) {
            if (event.getPayload() instanceof Attribution attribution) {
                Optional<JobState> job = aggregate.job(attribution.getJobId());
                if (job.isPresent() && (attribution.getAttempt() < job.get().getAttempt()
                    || job.get().getStatus() == JobStatus.done)) {
                    late.add(event);
                }
            }
            aggregate.apply(event);
            for (ArgusEvent lateEvent : late) {
                Attribution attribution = (Attribution) lateEvent.getPayload();
                String jobId = attribution.getJobId();
                int attempt = attribution.getAttempt();
                Outcome outcome = decide(aggregate, jobId, attempt);
                if (outcome.verdict() != Verdict.STOP) {
                    continue;
                }
                BatchState batch = aggregate.batch().orElseThrow();
                boolean onTimeStop = aggregate.job(jobId).orElseThrow().getDecisions().stream()
                    .anyMatch(d -> d.getAttempt() == attempt && !d.getLate() && d.getVerdict().equals("STOP")
                        && !d.getEventId().equals(lateEvent.getEventId()));
                assertThat(batch.getStopping() || attempt >= outcome.restartBudget() || onTimeStop)
                    .as("STOP for job %s attempt %d after late %s %s: %s", jobId, attempt, lateEvent.getEventId(),
                        attribution, outcome)
                    .isTrue();
            }
        }

        for (ArgusEvent lateEvent : late) {
            List<ArgusEvent> without = new ArrayList<>(events);
            without.remove(lateEvent);
            BatchAggregate counterfactual = BatchAggregate.fold(without);
            Attribution attribution = (Attribution) lateEvent.getPayload();
            for (int attempt = 1; attempt <= EventSequences.MAX_ATTEMPT + 1; attempt++) {
                assertThat(decide(aggregate, attribution.getJobId(), attempt))
                    .as("decision for job %s attempt %d with vs without late %s", attribution.getJobId(), attempt,
                        lateEvent.getEventId())
                    .isEqualTo(decide(counterfactual, attribution.getJobId(), attempt));
            }
        }
    }

    // --- helpers

    /** The state before any event, then after each event, folded one by one. */
    private static List<Snapshot> prefixes(List<Step> steps) {
        BatchAggregate aggregate = new BatchAggregate();
        List<Snapshot> snapshots = new ArrayList<>();
        snapshots.add(snapshot(aggregate));
        for (ArgusEvent event : EventSequences.toEvents(steps)) {
            aggregate.apply(event);
            snapshots.add(snapshot(aggregate));
        }
        return snapshots;
    }

    private static Snapshot snapshot(BatchAggregate aggregate) {
        SortedMap<String, JobState> jobs = new TreeMap<>();
        aggregate.jobs().forEach((id, job) -> jobs.put(id, JobState.newBuilder(job).build()));
        return new Snapshot(aggregate.batch().map(batch -> BatchState.newBuilder(batch).build()), jobs);
    }

    private static void assertSameState(BatchAggregate actual, BatchAggregate expected, String what) {
        assertThat(actual.batch()).as("batch, %s", what).isEqualTo(expected.batch());
        assertThat(actual.batch().map(FoldPropertiesTest::bytes).orElse(null)).as("batch bytes, %s", what)
            .isEqualTo(expected.batch().map(FoldPropertiesTest::bytes).orElse(null));
        assertThat(actual.jobs().keySet()).as("job ids, %s", what).isEqualTo(expected.jobs().keySet());
        for (String jobId : expected.jobs().keySet()) {
            assertThat(actual.jobs().get(jobId)).as("job %s, %s", jobId, what)
                .isEqualTo(expected.jobs().get(jobId));
            assertThat(bytes(actual.jobs().get(jobId))).as("bytes of job %s, %s", jobId, what)
                .isEqualTo(bytes(expected.jobs().get(jobId)));
        }
    }

    private static Outcome decide(BatchAggregate aggregate, String jobId, int attempt) {
        return RestartDecision.decide(aggregate.batch().orElseThrow(), aggregate.job(jobId), attempt);
    }

    private static List<String> ids(List<ArgusEvent> events) {
        return events.stream().map(ArgusEvent::getEventId).map(id -> id.substring(id.lastIndexOf('-') + 1))
            .toList();
    }

    /** State bytes exactly as the stores hold them. */
    private static byte[] bytes(BatchState record) {
        return BATCH_SERDE.serializer().serialize("batches", record);
    }

    private static byte[] bytes(JobState record) {
        return JOB_SERDE.serializer().serialize("jobs", record);
    }

    private static byte[] bytes(ArgusEvent record) {
        try {
            return toArray(record.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BatchState decodeBatch(byte[] bytes) {
        return BATCH_SERDE.deserializer().deserialize("batches", bytes);
    }

    private static JobState decodeJob(byte[] bytes) {
        return JOB_SERDE.deserializer().deserialize("jobs", bytes);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] array = new byte[buffer.remaining()];
        buffer.duplicate().get(array);
        return array;
    }
}
