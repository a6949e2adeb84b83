package io.argus.bench.fold;

import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.TestEvents;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * An event log of exactly {@code n} events, the same for a given seed, in one of the bench's mixes: {@link #realistic}
 * (each job's events back to back) or {@link SpreadMix} (2,000 jobs in flight, their events interleaved).
 */
public final class EventMix {

    public static final int DEFAULT_JOBS_PER_BATCH = 120;
    static final double FAILING_JOBS = 0.05;
    static final double RESUMED_BATCHES = 0.10;
    static final int HEARTBEAT_EVERY_JOBS = 40;

    private final String shape;
    private final List<ArgusEvent> events;
    private final int duplicates;

    /** @param shape how its batches and jobs are laid out, for {@link #describe()} */
    EventMix(String shape, MixLog log) {
        this.shape = shape;
        this.events = Collections.unmodifiableList(log.events());
        this.duplicates = log.duplicates();
    }

    /**
     * The realistic mix: batches of J jobs (120 by default: 10 datasets x 12 models), one after the other: a {@code
     * batch_start}; per job a {@code job_start}, two {@code job_progress} and a {@code job_done}; about 5% of jobs fail
     * once (a {@code job_progress}, {@code job_failed} from ranks 0 and 1, an attribution RESTART) and then run as
     * attempt 2; about 10% of batches resume mid-way (a second {@code batch_start}); a heartbeat every 40 jobs; a
     * {@code batch_done} at the end. About 2% of events are sent twice (one of the batch's last 8 events again, same
     * event id, {@link MixLog}). The last batch is cut where the log reaches {@code n}.
     */
    public static EventMix realistic(int n, int jobsPerBatch, long seed) {
        if (jobsPerBatch < 21) {
            throw new IllegalArgumentException("batches need at least 21 jobs, got " + jobsPerBatch);
        }
        Generator generator = new Generator(n, jobsPerBatch, new Random(seed));
        int batch = 0;
        while (!generator.full()) {
            generator.batch(String.format(Locale.ROOT, "bench-batch-%05d", batch), batch);
            batch++;
        }
        return new EventMix(batch + " batches of " + jobsPerBatch + " jobs, one after the other", generator.log);
    }

    public List<ArgusEvent> events() {
        return events;
    }

    /** For example {@code 200000 events in 398 batches of 120 jobs, one after the other: job_progress 47.6%, ...}. */
    public String describe() {
        Map<EventType, Long> byType = events.stream().collect(Collectors.groupingBy(
            event -> EventType.ofPayload(event.getPayload()).orElseThrow(), () -> new EnumMap<>(EventType.class),
            Collectors.counting()));
        String types = byType.entrySet().stream()
            .sorted(Map.Entry.<EventType, Long>comparingByValue().reversed())
            .map(e -> e.getKey().wireName() + " " + percent(e.getValue()))
            .collect(Collectors.joining(", "));
        return events.size() + " events in " + shape + ": " + types + "; "
            + duplicates + " (" + percent(duplicates) + ") sent twice with the same event id";
    }

    private String percent(long count) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * count / events.size());
    }

    /** Appends one batch's events until the log is full. */
    private static final class Generator {
        private final int jobs;
        private final Random random;
        private final MixLog log;

        Generator(int n, int jobs, Random random) {
            this.jobs = jobs;
            this.random = random;
            this.log = new MixLog(n, random);
        }

        boolean full() {
            return log.full();
        }

        void batch(String batchId, int index) {
            TestEvents events = new TestEvents(batchId);
            log.newSender();
            long second = index * 100_000L;
            String command = "python run.py --batch " + index;
            log.emit(events.batchStart(second, jobs, 3, command));
            int resumeBefore = random.nextDouble() < RESUMED_BATCHES ? 10 + random.nextInt(jobs - 20) : -1;
            for (int job = 0; job < jobs && !full(); job++) {
                second += 60;
                if (job == resumeBefore) {
                    // The launcher crashed and was started again: the same batch, launched a second time.
                    log.emit(events.batchStart(second, jobs, 3, command + " --resume"));
                }
                if (job > 0 && job % HEARTBEAT_EVERY_JOBS == 0) {
                    log.emit(events.heartbeat(second));
                }
                job(events, "dataset" + job / 12 + "/model" + job % 12, second);
            }
            log.emit(events.batchDone(second + 60, BatchOutcome.done));
        }

        private void job(TestEvents events, String jobId, long second) {
            int attempt = 1;
            if (random.nextDouble() < FAILING_JOBS) {
                log.emit(events.jobStart(second, jobId, 1));
                log.emit(events.progress(second + 5, jobId, 1, 100));
                log.emit(events.jobFailed(second + 9, jobId, 1, 0, "CudaOutOfMemoryError"));
                log.emit(events.jobFailed(second + 9, jobId, 1, 1, "CudaOutOfMemoryError"));
                log.emit(events.attribution(second + 10, jobId, 1, Verdict.RESTART));
                attempt = 2;
                second += 15;
            }
            log.emit(events.jobStart(second, jobId, attempt));
            log.emit(events.progress(second + 10, jobId, attempt, 100));
            log.emit(events.progress(second + 20, jobId, attempt, 200));
            log.emit(events.jobDone(second + 30, jobId, attempt));
        }
    }
}
