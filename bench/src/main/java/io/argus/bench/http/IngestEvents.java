package io.argus.bench.http;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One sender's endless, unique event stream for the ingest bench: small batches (a batch_start, then job_start,
 * job_progress and job_done per job), so the fold running beside ingest in the service works on batches of a
 * realistic size rather than on one ever-growing batch. Ids carry the run tag and the sender, so no two senders
 * or runs share one. Not thread-safe: one per sender.
 */
final class IngestEvents implements Iterator<PostBody> {

    private static final int JOBS_PER_BATCH = 100;
    private static final int EVENTS_PER_JOB = 3;

    private final String prefix;
    private final int eventsPerRequest;
    private long sequence;
    private long batch;
    /** The position in the current batch: 0 is its batch_start, then the jobs' events. */
    private int position;

    private IngestEvents(String runTag, int sender, int eventsPerRequest) {
        this.prefix = runTag + "-s" + sender;
        this.eventsPerRequest = eventsPerRequest;
    }

    /** One stream for each of {@code senders} senders, each request of {@code eventsPerRequest} events. */
    static List<IngestEvents> senders(String runTag, int senders, int eventsPerRequest) {
        return IntStream.range(0, senders).mapToObj(sender -> new IngestEvents(runTag, sender, eventsPerRequest))
            .toList();
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    /** The next request's events: one JSON object for 1, NDJSON (one per line) for more. */
    @Override
    public PostBody next() {
        StringBuilder body = new StringBuilder(eventsPerRequest * 200);
        body.append(nextEvent());
        for (int i = 1; i < eventsPerRequest; i++) {
            body.append('\n').append(nextEvent());
        }
        return PostBody.of(body.toString(), eventsPerRequest);
    }

    private String nextEvent() {
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
