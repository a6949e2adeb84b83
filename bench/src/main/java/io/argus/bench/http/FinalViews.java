package io.argus.bench.http;

import io.argus.bench.ServiceHttp;
import io.argus.bench.Waits;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.JobDone;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each batch of an event log shows once all its events are folded, and the wait for it: {@code GET
 * /api/batches/{id}} answers as many jobs done as the log has jobs with a {@code job_done}, and the status of its
 * {@code batch_done} ({@code running} without one). Re-sent events change neither, so a batch that shows both has
 * folded every event that changes it.
 */
final class FinalViews {

    private record Final(Set<String> jobsDone, String status) {
        boolean shownBy(ServiceHttp http, String batchId) {
            return http.view("/api/batches/" + ServiceHttp.segment(batchId))
                .map(view -> view.path("job_counts").path("done").asLong() == jobsDone.size()
                    && view.path("status").asText().equals(status))
                .orElse(false);
        }
    }

    /** By batch id, in the order of their first events. */
    private final Map<String, Final> batches;

    private FinalViews(Map<String, Final> batches) {
        this.batches = batches;
    }

    static FinalViews of(Iterable<ArgusEvent> log) {
        Map<String, Set<String>> jobsDone = new LinkedHashMap<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        for (ArgusEvent event : log) {
            Set<String> done = jobsDone.computeIfAbsent(event.getBatchId(), batch -> new HashSet<>());
            if (event.getPayload() instanceof JobDone job) {
                done.add(job.getJobId());
            } else if (event.getPayload() instanceof BatchDone batch) {
                statuses.put(event.getBatchId(), batch.getStatus().name());
            }
        }
        Map<String, Final> batches = new LinkedHashMap<>();
        jobsDone.forEach((batch, done) ->
            batches.put(batch, new Final(done, statuses.getOrDefault(batch, "running"))));
        return new FinalViews(batches);
    }

    int batches() {
        return batches.size();
    }

    /**
     * Polls the batches one after the other, each until its view is final, and returns the wall-clock time (epoch
     * millis) at which the last one was. {@code check} runs before every poll and ends the wait by throwing.
     */
    long awaitShown(ServiceHttp http, Duration timeout, Runnable check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        batches.forEach((batchId, expected) -> Waits.until(String.format(Locale.ROOT, "batch %s to show %d jobs done and status"
                + " %s", batchId, expected.jobsDone().size(), expected.status()),
            Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), () -> {
                check.run();
                return expected.shownBy(http, batchId);
            }));
        return System.currentTimeMillis();
    }
}
