package io.argus.query;

import io.argus.streams.state.BatchState;
import io.argus.streams.view.BatchView;
import java.util.List;

/**
 * The answer of {@code GET /api/batches/{id}/launches}: every launch the batch record keeps, oldest first. A resume
 * says when the batch went quiet before it, so a timeline can show the gap where nothing ran.
 */
record Launches(String batchId, List<Launch> launches) {

    /** One applied batch_start: {@code started}, {@code resumed} or {@code ignored} (a relaunch of a done batch). */
    record Launch(String eventId, String ts, String outcome, String quietSince) {
    }

    static Launches of(BatchState batch) {
        return new Launches(batch.getBatchId(), batch.getLaunches().stream()
            .map(launch -> new Launch(launch.getEventId(), BatchView.iso(launch.getTs()), launch.getOutcome().name(),
                BatchView.iso(launch.getQuietSince())))
            .toList());
    }
}
