package io.argus.streams.fold;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Random event sequences of one batch for the property tests, built from small {@link Step} descriptors so a failing
 * sequence shrinks to a short, readable list ("jobStart(3s, b, 2)", ...). Times are seconds after
 * {@link TestEvents#ORIGIN} and are not increasing. Each step becomes one event with a fresh id ("prop-event-N", N its
 * position in the list), so a sequence without injected duplicates has no repeated ids.
 */
final class EventSequences {

    static final String BATCH_ID = "prop";
    static final List<String> JOB_IDS = List.of("a", "b", "c", "d", "e", "f");
    static final int MAX_ATTEMPT = 4;
    static final int MAX_SECOND = 120;

    /** Label / param / metric keys whose hash order differs from their sorted order. */
    private static final List<String> KEYS = List.of("zone", "team", "owner", "model", "dataset", "cluster");

    private EventSequences() {
    }

    /** One event of the sequence, before it gets its id. */
    sealed interface Step {
        ArgusEvent toEvent(TestEvents events);
    }

    record BatchStartStep(long second, int nTotal, Integer maxRestarts, int labels) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.event(second, BatchStart.newBuilder().setSourceProject("forecasting")
                .setExperimentType("benchmark").setNTotal(nTotal).setCommand("python run.py --n " + nTotal)
                .setGitSha("4f2a9c1").setMaxRestarts(maxRestarts).setLabels(strings(labels, "label")).build());
        }

        @Override
        public String toString() {
            return "batchStart(" + second + "s, nTotal=" + nTotal + ", maxRestarts=" + maxRestarts + ", labels="
                + labels + ")";
        }
    }

    record BatchDoneStep(long second, BatchOutcome outcome) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.batchDone(second, outcome);
        }

        @Override
        public String toString() {
            return "batchDone(" + second + "s, " + outcome + ")";
        }
    }

    record StopRequestedStep(long second) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.stopRequested(second);
        }

        @Override
        public String toString() {
            return "stopRequested(" + second + "s)";
        }
    }

    record HeartbeatStep(long second) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.heartbeat(second);
        }

        @Override
        public String toString() {
            return "heartbeat(" + second + "s)";
        }
    }

    record JobStartStep(long second, String job, int attempt, int params) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.event(second, new JobStart(job, attempt, strings(params, "p" + attempt)));
        }

        @Override
        public String toString() {
            return "jobStart(" + second + "s, " + job + ", " + attempt + ", params=" + params + ")";
        }
    }

    record ProgressStep(long second, String job, int attempt, long step) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.event(second, new JobProgress(job, attempt, step, doubles(3, step)));
        }

        @Override
        public String toString() {
            return "progress(" + second + "s, " + job + ", " + attempt + ", step=" + step + ")";
        }
    }

    record JobDoneStep(long second, String job, int attempt) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            // Result and metrics name the event, so a later done that overwrote them would show.
            return events.event(second, new JobDone(job, attempt, doubles(4, second * 10L + attempt),
                "{\"attempt\":" + attempt + ",\"at\":" + second + "}", "s3://out/" + job + "/" + attempt));
        }

        @Override
        public String toString() {
            return "jobDone(" + second + "s, " + job + ", " + attempt + ")";
        }
    }

    record JobFailedStep(long second, String job, int attempt, Integer rank) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.jobFailed(second, job, attempt, rank, rank == null ? "OOM" : "NcclTimeout");
        }

        @Override
        public String toString() {
            return "jobFailed(" + second + "s, " + job + ", " + attempt + ", rank=" + rank + ")";
        }
    }

    record AttributionStep(long second, String job, int attempt, Verdict verdict) implements Step {
        @Override
        public ArgusEvent toEvent(TestEvents events) {
            return events.attribution(second, job, attempt, verdict);
        }

        @Override
        public String toString() {
            return "attribution(" + second + "s, " + job + ", " + attempt + ", " + verdict + ")";
        }
    }

    /** The events of the steps, in order, ids "prop-event-0", "prop-event-1", ... */
    static List<ArgusEvent> toEvents(List<Step> steps) {
        TestEvents events = new TestEvents(BATCH_ID);
        List<ArgusEvent> result = new ArrayList<>(steps.size());
        for (Step step : steps) {
            result.add(step.toEvent(events));
        }
        return result;
    }

    /**
     * Injects re-sent events: for each (source, position) pair, an exact copy (same event id) of the event at
     * {@code source mod size} is inserted at a random position after it. The first occurrence of every id is
     * therefore the original, and the originals keep their order.
     */
    static List<ArgusEvent> withDuplicates(List<ArgusEvent> events, List<Tuple2<Integer, Integer>> duplicates) {
        List<ArgusEvent> result = new ArrayList<>(events);
        if (result.isEmpty()) {
            return result;
        }
        for (Tuple2<Integer, Integer> duplicate : duplicates) {
            int source = duplicate.get1() % result.size();
            int after = source + 1;
            int position = after + duplicate.get2() % (result.size() - after + 1);
            result.add(position, ArgusEvent.newBuilder(result.get(source)).build());
        }
        return result;
    }

    // --- arbitraries

    /** 0 to 60 steps (sizes spread evenly, not mostly short) over the first 1 to 6 job ids. */
    static Arbitrary<List<Step>> sequences() {
        return Arbitraries.integers().between(1, JOB_IDS.size()).flatMap(jobs -> steps(JOB_IDS.subList(0, jobs))
            .list().ofMinSize(0).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform()));
    }

    static Arbitrary<List<Tuple2<Integer, Integer>>> duplicates() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 1_000);
        return Combinators.combine(index, index).as(Tuple::of).list().ofMinSize(1).ofMaxSize(30);
    }

    @SuppressWarnings("unchecked")
    static Arbitrary<Step> steps(List<String> jobIds) {
        Arbitrary<String> job = Arbitraries.of(jobIds);
        return Arbitraries.frequencyOf(
            Tuple.of(3, batchStart()),
            Tuple.of(2, batchDone()),
            Tuple.of(1, second().<Step>map(StopRequestedStep::new)),
            Tuple.of(2, second().<Step>map(HeartbeatStep::new)),
            Tuple.of(10, jobStart(job)),
            Tuple.of(6, progress(job)),
            Tuple.of(6, jobDone(job)),
            Tuple.of(7, jobFailed(job)),
            Tuple.of(6, attribution(job)));
    }

    private static Arbitrary<Step> batchStart() {
        return Combinators.combine(second(), Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 4).injectNull(0.3), Arbitraries.integers().between(0, KEYS.size()))
            .as(BatchStartStep::new);
    }

    private static Arbitrary<Step> batchDone() {
        return Combinators.combine(second(), Arbitraries.of(BatchOutcome.class)).as(BatchDoneStep::new);
    }

    private static Arbitrary<Step> jobStart(Arbitrary<String> job) {
        return Combinators.combine(second(), job, attempt(), Arbitraries.integers().between(0, KEYS.size()))
            .as(JobStartStep::new);
    }

    private static Arbitrary<Step> progress(Arbitrary<String> job) {
        return Combinators.combine(second(), job, attempt(), Arbitraries.longs().between(0, 20))
            .as(ProgressStep::new);
    }

    private static Arbitrary<Step> jobDone(Arbitrary<String> job) {
        return Combinators.combine(second(), job, attempt()).as(JobDoneStep::new);
    }

    private static Arbitrary<Step> jobFailed(Arbitrary<String> job) {
        return Combinators.combine(second(), job, attempt(), Arbitraries.integers().between(0, 3).injectNull(0.2))
            .as(JobFailedStep::new);
    }

    private static Arbitrary<Step> attribution(Arbitrary<String> job) {
        return Combinators.combine(second(), job, attempt(), Arbitraries.of(Verdict.class))
            .as(AttributionStep::new);
    }

    private static Arbitrary<Long> second() {
        return Arbitraries.longs().between(0, MAX_SECOND);
    }

    private static Arbitrary<Integer> attempt() {
        return Arbitraries.integers().between(1, MAX_ATTEMPT);
    }

    private static Map<String, String> strings(int count, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(KEYS.get(i), prefix + "-" + i);
        }
        return values;
    }

    private static Map<String, Double> doubles(int count, long seed) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(KEYS.get(KEYS.size() - 1 - i), seed + i / 8.0);
        }
        return values;
    }
}
