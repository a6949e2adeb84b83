package io.argus.bench.jmh;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.BatchFold;
import io.argus.streams.fold.Effect;
import io.argus.streams.fold.JobIds;
import io.argus.streams.fold.TestEvents;
import java.util.List;
import java.util.Random;

/**
 * Events for a {@link FoldedBatch} in the main event log's mix (job_progress 48%, job_start 25%, job_done 23%,
 * job_failed 2%, attribution 1%, heartbeat 1%), generated up front so that the benchmark only reads the next one. As in
 * a launcher's log, the events at any moment are about the jobs running then: a window of {@value #RUNNING_WINDOW} jobs
 * that moves through the batch. (Spread at random over 100,000 jobs, every event would miss the CPU caches, which
 * measures the memory of the machine, not the fold.) Every event is one the fold applies to the batch as built:
 * measured on duplicates or ignored events, the fold would take its short cuts.
 */
final class EventRing {

    private static final int SIZE = 1 << 16;
    static final int RUNNING_WINDOW = 64;

    private final ArgusEvent[] events;
    private int next;

    private EventRing(ArgusEvent[] events) {
        this.events = events;
    }

    static EventRing over(FoldedBatch batch, TestEvents events, long seed) {
        Random random = new Random(seed);
        ArgusEvent[] ring = new ArgusEvent[SIZE];
        for (int i = 0; i < SIZE; i++) {
            // Later than everything in the batch, so each event moves its times forward.
            long second = FoldedBatch.FIRST_FREE_SECOND + i;
            List<String> candidates = batch.running();
            String running = candidates.get((i / RUNNING_WINDOW + random.nextInt(RUNNING_WINDOW)) % candidates.size());
            int roll = random.nextInt(100);
            if (roll < 48) {
                ring[i] = events.progress(second, running, 1, 200 + i);
            } else if (roll < 73) {
                ring[i] = events.jobStart(second, running, 2);
            } else if (roll < 96) {
                ring[i] = events.jobDone(second, running, 1);
            } else if (roll < 98) {
                ring[i] = events.jobFailed(second, running, 1, 0, "CudaOutOfMemoryError");
            } else if (roll < 99) {
                ring[i] = events.attribution(second, pick(batch.failed(), random), 1, Verdict.RESTART);
            } else {
                ring[i] = events.heartbeat(second);
            }
            requireApplied(batch, ring[i]);
        }
        return new EventRing(ring);
    }

    ArgusEvent next() {
        ArgusEvent event = events[next];
        next = (next + 1) % SIZE;
        return event;
    }

    private static String pick(List<String> jobIds, Random random) {
        return jobIds.get(random.nextInt(jobIds.size()));
    }

    private static void requireApplied(FoldedBatch batch, ArgusEvent event) {
        Effect effect = BatchFold.apply(batch.batch(), JobIds.of(event).map(batch.jobs()::get).orElse(null), event)
            .effect();
        if (effect != Effect.APPLIED) {
            throw new IllegalStateException("the fold would not apply " + event + ": " + effect);
        }
    }
}
