package io.argus.embedded;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Polls a condition until it holds or a deadline passes. Start-up and topic creation finish at times nobody
 * can predict, so code waits for the observable state it needs, never for a fixed time.
 */
public final class Await {

    private static final long FIRST_PAUSE_MS = 10;
    private static final long MAX_PAUSE_MS = 200;

    private Await() {
    }

    /** Returns the first value the probe yields; an exception from the probe counts as "not yet". */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = FIRST_PAUSE_MS;
        Exception lastFailure = null;
        while (true) {
            try {
                Optional<T> value = probe.call();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Timed out after " + timeout.toMillis() + " ms waiting for " + what,
                        lastFailure);
            }
            pause(what, pauseMs);
            // Back off so a slow condition does not burn a core on a 2-core machine.
            pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
        }
    }

    public static void condition(String what, Duration timeout, Callable<Boolean> probe) {
        value(what, timeout, () -> probe.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    private static void pause(String what, long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        }
    }
}
