package io.argus.query;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * When an instance that runs its fold is ready: when it can answer. Lag alone is not a reason to leave the Service:
 * a burst of ingest puts every instance thousands of events behind at once, exactly when they are needed. So an
 * instance is not ready while it catches up after its start (until its lag first falls to {@code maxLag}), and
 * later only when it is stuck: more than {@code maxLag} behind with no event folded for {@code stuckAfter}.
 */
final class ReadinessRule {

    private final long maxLag;
    private final long stuckAfterNanos;
    private final LongSupplier nanoClock;
    private boolean caughtUp;
    private long lastProgress = -1;
    private long lastProgressAt;

    ReadinessRule(long maxLag, Duration stuckAfter, LongSupplier nanoClock) {
        this.maxLag = maxLag;
        this.stuckAfterNanos = stuckAfter.toNanos();
        this.nanoClock = nanoClock;
        this.lastProgressAt = nanoClock.getAsLong();
    }

    /**
     * @param lag the fold's lag on the event log, empty before the first fetch told it
     * @param progress events folded (and dead-lettered) so far: it grows while the fold moves
     * @return empty when ready, else why not
     */
    synchronized Optional<String> notReadyBecause(OptionalDouble lag, long progress) {
        long now = nanoClock.getAsLong();
        if (progress != lastProgress) {
            lastProgress = progress;
            lastProgressAt = now;
        }
        if (lag.isEmpty() || lag.getAsDouble() <= maxLag) {
            caughtUp = true;
            return Optional.empty();
        }
        long behind = (long) lag.getAsDouble();
        if (!caughtUp) {
            return Optional.of("CATCHING_UP (lag " + behind + ")");
        }
        long idleNanos = now - lastProgressAt;
        if (idleNanos >= stuckAfterNanos) {
            return Optional.of("STUCK (lag " + behind + ", nothing folded for "
                + Duration.ofNanos(idleNanos).toSeconds() + " s)");
        }
        return Optional.empty();
    }
}
