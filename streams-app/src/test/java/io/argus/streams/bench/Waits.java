package io.argus.streams.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Polls a condition every 20 ms until it holds; past the deadline it fails loudly. */
final class Waits {

    static final long POLL_MS = 20;

    private Waits() {
    }

    /** An exception thrown by the condition ends the wait at once. */
    static void until(String what, Duration timeout, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.call()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for "
                        + what);
                }
                sleep(POLL_MS);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("failed while waiting for " + what, e);
        }
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
