package io.argus.bench.fold;

import io.argus.schemas.avro.BatchOutcome;
import io.argus.schemas.avro.Verdict;
import io.argus.streams.fold.TestEvents;
import java.util.Comparator;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The spread mix: {@value #IN_FLIGHT} jobs run at once and each reports progress every few seconds of event time, so
 * the log interleaves them and two events of one job lie about {@value #IN_FLIGHT} events apart. A record cache
 * then finds a job's record once or twice per commit at most, where in the realistic mix it folds a job's back-to-back
 * events into one write.
 *
 * <p>Jobs come in batches of {@value EventMix#DEFAULT_JOBS_PER_BATCH}: a batch's {@code batch_start} goes out when its
 * first job is started, its {@code batch_done} when its last job is done. A job sends a {@code job_start}, then
 * {@value #FEWEST_REPORTS} to {@value #MOST_REPORTS} {@code job_progress} reports {@value #FIRST_INTERVAL} to
 * {@value #LAST_INTERVAL} s apart, then a {@code job_done}; about 5% fail once at their first report ({@code
 * job_failed} from ranks 0 and 1, an attribution RESTART) and run again as attempt 2. When a job is done the next one
 * starts, so {@value #IN_FLIGHT} stay in flight. About 2% of events are sent twice ({@link MixLog}). The log is cut
 * where it reaches {@code n}.
 */
final class SpreadMix {

    static final int IN_FLIGHT = 2_000;
    static final int FEWEST_REPORTS = 5;
    static final int MOST_REPORTS = 15;
    static final int FIRST_INTERVAL = 4;
    static final int LAST_INTERVAL = 6;

    private final Random random;
    private final MixLog log;
    /** The running jobs, the one whose next event is due first at the head. */
    private final PriorityQueue<RunningJob> running = new PriorityQueue<>(Comparator.comparingLong(job -> job.due));
    private Batch admitting;
    private int batches;

    private SpreadMix(int n, Random random) {
        this.random = random;
        this.log = new MixLog(n, random);
    }

    static EventMix generate(int n, long seed) {
        SpreadMix mix = new SpreadMix(n, new Random(seed));
        for (int i = 0; i < IN_FLIGHT; i++) {
            mix.start(0, mix.random.nextInt(LAST_INTERVAL));
        }
        while (!mix.log.full()) {
            RunningJob job = mix.running.poll();
            job.step(mix.log);
            if (job.done) {
                mix.finish(job);
            } else {
                job.due += interval(mix.random);
                mix.running.add(job);
            }
        }
        return new EventMix(String.format(Locale.ROOT, "%d batches of %d jobs, %,d jobs in flight", mix.batches,
            EventMix.DEFAULT_JOBS_PER_BATCH, IN_FLIGHT), mix.log);
    }

    /**
     * Schedules the next job's start at {@code due}; when the last batch has all its jobs, a new batch starts
     * {@code now}.
     */
    private void start(long now, long due) {
        if (admitting == null || admitting.started == EventMix.DEFAULT_JOBS_PER_BATCH) {
            admitting = new Batch(new TestEvents(String.format(Locale.ROOT, "bench-spread-%05d", batches++)));
            log.emit(admitting.events.batchStart(now, EventMix.DEFAULT_JOBS_PER_BATCH, 3, "python run.py"));
        }
        int job = admitting.started++;
        running.add(new RunningJob(admitting, "dataset" + job / 12 + "/model" + job % 12, due,
            FEWEST_REPORTS + random.nextInt(MOST_REPORTS - FEWEST_REPORTS + 1),
            random.nextDouble() < EventMix.FAILING_JOBS));
    }

    private void finish(RunningJob job) {
        if (++job.batch.done == EventMix.DEFAULT_JOBS_PER_BATCH) {
            log.emit(job.batch.events.batchDone(job.due, BatchOutcome.done));
        }
        start(job.due, job.due + interval(random));
    }

    private static long interval(Random random) {
        return FIRST_INTERVAL + random.nextInt(LAST_INTERVAL - FIRST_INTERVAL + 1);
    }

    /** A batch and how many of its jobs were started and are done. */
    private static final class Batch {
        final TestEvents events;
        int started;
        int done;

        Batch(TestEvents events) {
            this.events = events;
        }
    }

    /** One job in flight: what it sends next, and when. */
    private static final class RunningJob {
        final Batch batch;
        final String jobId;
        final int reports;
        final boolean failsOnce;
        long due;
        int attempt = 1;
        boolean started;
        int reported;
        boolean done;

        RunningJob(Batch batch, String jobId, long due, int reports, boolean failsOnce) {
            this.batch = batch;
            this.jobId = jobId;
            this.due = due;
            this.reports = reports;
            this.failsOnce = failsOnce;
        }

        /** Sends its next event (three when it fails: both ranks' failures and the attribution). */
        void step(MixLog log) {
            TestEvents events = batch.events;
            if (!started) {
                log.emit(events.jobStart(due, jobId, attempt));
                started = true;
            } else if (failsOnce && attempt == 1 && reported == 1) {
                log.emit(events.jobFailed(due, jobId, 1, 0, "CudaOutOfMemoryError"));
                log.emit(events.jobFailed(due, jobId, 1, 1, "CudaOutOfMemoryError"));
                log.emit(events.attribution(due, jobId, 1, Verdict.RESTART));
                attempt = 2;
                started = false;
                reported = 0;
            } else if (reported < reports) {
                reported++;
                log.emit(events.progress(due, jobId, attempt, 100L * reported));
            } else {
                log.emit(events.jobDone(due, jobId, attempt));
                done = true;
            }
        }
    }
}
