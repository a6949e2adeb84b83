package io.argus.bench.http;

import io.argus.bench.ServiceHttp;
import io.argus.bench.Waits;
import java.time.Duration;

/**
 * A batch of N finished jobs, put into a running service through its own ingest: a batch_start, then job_start
 * and job_done per job, as NDJSON of at most 1000 events a request (the ingest limit); then waits until the batch
 * view counts every job done.
 */
final class JobBatch {

    /** The ingest limit per request (docs/api.md, POST /api/events). */
    static final int EVENTS_PER_REQUEST = 1000;

    private final ServiceHttp http;
    private final String batchId;
    private final int jobs;

    JobBatch(ServiceHttp http, String batchId, int jobs) {
        this.http = http;
        this.batchId = batchId;
        this.jobs = jobs;
    }

    /** {@code 1 + 2 N}: the batch_start and two events per job. */
    int events() {
        return 1 + 2 * jobs;
    }

    /** Posts every event; each POST returns once Kafka acknowledged its events. */
    void post() {
        StringBuilder body = new StringBuilder();
        int inBody = 0;
        for (int event = 0; event < events(); event++) {
            body.append(event(event)).append('\n');
            if (++inBody == EVENTS_PER_REQUEST || event == events() - 1) {
                http.post("/api/events", "application/x-ndjson", body.toString());
                body.setLength(0);
                inBody = 0;
            }
        }
    }

    /** Waits until the view shows all N jobs done (the fold has applied every event). */
    void awaitFolded(Duration timeout) {
        Waits.until("batch " + batchId + " to show " + jobs + " jobs done", timeout, 100, () -> doneJobs() == jobs);
    }

    private String event(int index) {
        if (index == 0) {
            return EventJson.batchStart(batchId, batchId + "-start", jobs);
        }
        int job = (index - 1) / 2;
        return (index - 1) % 2 == 0 ? EventJson.jobStart(batchId, batchId + "-s" + job, job)
            : EventJson.jobDone(batchId, batchId + "-d" + job, job);
    }

    /** Jobs done in the view; 0 while the batch is not known yet (404) or the fold is rebalancing (503). */
    private long doneJobs() {
        return http.view("/api/batches/" + ServiceHttp.segment(batchId))
            .map(view -> view.path("job_counts").path("done").asLong()).orElse(0L);
    }
}
