package io.argus.bench.http;

/**
 * One sender's endless, unique event stream for the ingest bench: small batches (a batch_start, then job_start,
 * job_progress and job_done per job), so the fold running beside ingest in the service works on batches of a
 * realistic size rather than on one ever-growing batch. Ids carry the run tag and the sender, so no two senders
 * or runs share one. Not thread-safe: one per sender.
 */
final class IngestEvents {

    private static final int JOBS_PER_BATCH = 100;
    private static final int EVENTS_PER_JOB = 3;

    private final String prefix;
    private long sequence;
    private long batch;
    /** The position in the current batch: 0 is its batch_start, then the jobs' events. */
    private int position;

    IngestEvents(String runTag, int sender) {
        this.prefix = runTag + "-s" + sender;
    }

    /** {@code count} events: one JSON object for 1, NDJSON (one per line) for more. */
    String body(int count) {
        StringBuilder body = new StringBuilder(count * 200);
        body.append(next());
        for (int i = 1; i < count; i++) {
            body.append('\n').append(next());
        }
        return body.toString();
    }

    private String next() {
        String batchId = "ingest-" + prefix + "-b" + batch;
        String eventId = prefix + "-e" + sequence++;
        int jobEvent = position - 1;
        String event;
        if (position == 0) {
            event = EventJson.batchStart(batchId, eventId, JOBS_PER_BATCH);
        } else if (jobEvent % EVENTS_PER_JOB == 0) {
            event = EventJson.jobStart(batchId, eventId, jobEvent / EVENTS_PER_JOB);
        } else if (jobEvent % EVENTS_PER_JOB == 1) {
            event = EventJson.jobProgress(batchId, eventId, jobEvent / EVENTS_PER_JOB);
        } else {
            event = EventJson.jobDone(batchId, eventId, jobEvent / EVENTS_PER_JOB);
        }
        position++;
        if (position > JOBS_PER_BATCH * EVENTS_PER_JOB) {
            position = 0;
            batch++;
        }
        return event;
    }
}
