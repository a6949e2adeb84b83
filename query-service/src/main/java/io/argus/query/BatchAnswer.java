package io.argus.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.view.BatchView;
import java.time.Duration;
import java.time.Instant;

/**
 * The batch view plus what depends on the time of asking: {@code stalled}, true when the batch is running and
 * nothing (no event, no heartbeat) has been seen for longer than the stall timeout; and {@code history_size}, how
 * many events its history holds (the end of {@code /events}' cursor range), which the fold's view does not carry.
 * A batch as it stood at an earlier time ({@code as_of}) has no history size: it is not a state of the history index.
 */
record BatchAnswer(@JsonUnwrapped BatchView view, boolean stalled,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Long historySize) {

    static BatchAnswer of(BatchState batch, Instant now, Duration stallTimeout) {
        return new BatchAnswer(BatchView.of(batch), isStalled(batch, now, stallTimeout), batch.getHistorySize());
    }

    /** The batch folded again from a prefix of its log, as it stood at {@code asOf}. */
    static BatchAnswer asOf(BatchState batch, Instant asOf, Duration stallTimeout) {
        return new BatchAnswer(BatchView.of(batch), isStalled(batch, asOf, stallTimeout), null);
    }

    static boolean isStalled(BatchState batch, Instant now, Duration stallTimeout) {
        if (batch.getStatus() != BatchStatus.running) {
            return false;
        }
        long lastSign = Math.max(orZero(batch.getLastSeen()), orZero(batch.getLastEventTs()));
        return now.toEpochMilli() - lastSign > stallTimeout.toMillis();
    }

    private static long orZero(Long millis) {
        return millis == null ? 0 : millis;
    }
}
