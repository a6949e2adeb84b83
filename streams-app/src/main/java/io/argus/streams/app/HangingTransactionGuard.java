package io.argus.streams.app;

import io.argus.streams.app.HangingTransactions.OpenTransaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for hanging transactions on Argus's partitions at a fixed interval, from the start of the fold on, and
 * aborts them or tells the operator how to. A transaction counts as hanging when two looks in a row find it open
 * at the same start offset with no coordinator tracking it: a live transaction that merely completed between the
 * two questions of one look is gone (or starts at a later offset) by the next.
 *
 * <p>The local Argus aborts: it runs the broker in the same process, and a kill -9 of both once left a
 * transaction that the coordinator had forgotten, which stalled the fold for good. A deployed Argus warns by
 * default, since the cluster and its operators are someone else's (docs/operations.md).
 */
public final class HangingTransactionGuard implements AutoCloseable {

    /** What to do about a hanging transaction. */
    public enum Mode {
        ABORT, WARN, OFF;

        static Mode parse(String key, String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must be abort, warn or off; got '" + value + "'", e);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionGuard.class);

    private final HangingTransactions transactions;
    private final Admin admin;
    private final Mode mode;
    private final String bootstrapServers;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong looks = new AtomicLong();
    private Set<OpenTransaction> seenBefore = Set.of();
    private final Set<OpenTransaction> reported = new HashSet<>();
    private boolean lastLookFailed;

    private HangingTransactionGuard(Admin admin, HangingTransactions transactions, Mode mode,
                                    String bootstrapServers) {
        this.admin = admin;
        this.transactions = transactions;
        this.mode = mode;
        this.bootstrapServers = bootstrapServers;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "argus-hanging-transactions");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts looking at once, then every {@code interval}; with {@link Mode#OFF} it does nothing. */
    static HangingTransactionGuard start(Admin admin, HangingTransactions transactions, Mode mode,
                                         String bootstrapServers, Duration interval) {
        HangingTransactionGuard guard = new HangingTransactionGuard(admin, transactions, mode, bootstrapServers);
        if (mode != Mode.OFF) {
            guard.scheduler.scheduleWithFixedDelay(guard::lookSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return guard;
    }

    /** Hanging transactions found so far (each counted once). */
    public long found() {
        return found.get();
    }

    /** Hanging transactions aborted so far. */
    public long aborted() {
        return aborted.get();
    }

    /** Completed looks so far. */
    long looks() {
        return looks.get();
    }

    private void lookSafely() {
        try {
            look();
            looks.incrementAndGet();
            lastLookFailed = false;
        } catch (ExecutionException | RuntimeException e) {
            // The broker may be starting or away: the next look tries again. Said once per outage, not per look.
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (!lastLookFailed) {
                LOG.info("Could not look for hanging transactions (will try again): {}", cause.toString());
            }
            lastLookFailed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void look() throws ExecutionException, InterruptedException {
        Set<OpenTransaction> untracked = transactions.untracked();
        for (OpenTransaction transaction : untracked) {
            if (seenBefore.contains(transaction) && reported.add(transaction)) {
                found.incrementAndGet();
                handle(transaction);
            }
        }
        seenBefore = untracked;
        reported.retainAll(untracked);
    }

    private void handle(OpenTransaction transaction) throws ExecutionException, InterruptedException {
        if (mode == Mode.ABORT) {
            transactions.abort(transaction);
            aborted.incrementAndGet();
            LOG.warn("Aborted a hanging transaction on {} (producer id {}, epoch {}, open since offset {}): no "
                    + "coordinator tracked it, and it held back every read_committed reader of that partition",
                transaction.partition(), transaction.producerId(), transaction.producerEpoch(),
                transaction.startOffset());
        } else {
            LOG.warn("A hanging transaction on {} (producer id {}, epoch {}, open since offset {}) holds back every "
                    + "read_committed reader of that partition, the fold's included. No coordinator tracks it, so "
                    + "nothing will close it: abort it with `{}`, or set argus.transactions.hanging=abort",
                transaction.partition(), transaction.producerId(), transaction.producerEpoch(),
                transaction.startOffset(), transaction.abortCommand(bootstrapServers));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
