package io.argus.bench.jmh;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.BatchAggregate;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of {@code n} jobs as the fold leaves it after a {@code batch_start} (n_total n) and a {@code job_start}
 * for every job: a quarter of the jobs then done, one in fifty failed, the rest running at step 100. Never changed
 * once built.
 *
 * @param jobs    every job by id, in a hash map: like the job store, it finds a job in the same time however many
 *                there are, so any growth the benchmark shows is the fold's
 * @param running the ids of the running jobs
 * @param failed  the ids of the failed jobs
 */
record FoldedBatch(BatchState batch, Map<String, JobState> jobs, List<String> running, List<String> failed) {

    static final int FIRST_FREE_SECOND = 10;

    static FoldedBatch of(TestEvents events, int n) {
        List<ArgusEvent> log = new ArrayList<>(2 * n + 1);
        List<String> running = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        log.add(events.batchStart(0, n));
        for (int i = 0; i < n; i++) {
            String jobId = jobId(i);
            log.add(events.jobStart(1, jobId, 1));
            if (i % 50 == 0) {
                log.add(events.jobFailed(2, jobId, 1, 0, "CudaOutOfMemoryError"));
                failed.add(jobId);
            } else if (i % 4 == 1) {
                log.add(events.jobDone(2, jobId, 1));
            } else {
                log.add(events.progress(2, jobId, 1, 100));
                running.add(jobId);
            }
        }
        BatchAggregate aggregate = BatchAggregate.fold(log);
        return new FoldedBatch(aggregate.batch().orElseThrow(), new HashMap<>(aggregate.jobs()),
            List.copyOf(running), List.copyOf(failed));
    }

    /** Ids shaped like the main event log's ({@code dataset3/model7}). */
    private static String jobId(int i) {
        return "dataset" + i / 12 + "/model" + i % 12;
    }
}
