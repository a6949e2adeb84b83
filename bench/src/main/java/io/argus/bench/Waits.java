package io.argus.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Awaits a condition with a deadline: the bench never sleeps a fixed time to let something happen. */
public final class Waits {

    private Waits() {
    }

    /** Polls every {@code pollMillis} until the condition holds; an exception it throws ends the wait at once. */
    public static void until(String what, Duration timeout, long pollMillis, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.call()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for "
                        + what);
                }
                sleep(pollMillis);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("failed while waiting for " + what, e);
        }
    }

    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, 20, condition);
    }

    public static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
