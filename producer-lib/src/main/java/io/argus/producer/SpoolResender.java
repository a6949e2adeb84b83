package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the oldest spooled events again, a chunk at a time, and marks them delivered once every one of them is
 * acknowledged. A chunk that fails in part is sent again whole later: the copies that did arrive carry the same ids.
 */
final class SpoolResender {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolResender.class);
    private static final int CHUNK = 500;

    private final Transport transport;
    private final Spool spool;
    private final Duration ackWait;

    /** @param ackWait how long one chunk waits for its acknowledgements */
    SpoolResender(Transport transport, Spool spool, Duration ackWait) {
        this.transport = transport;
        this.spool = spool;
        this.ackWait = ackWait;
    }

    /** True when the chunk was delivered (events the backend refuses for good count as delivered, loudly). */
    boolean resendOnce() {
        Spool.Pending pending = spool.readPending(CHUNK);
        List<CompletableFuture<Void>> acks = new ArrayList<>(pending.events().size());
        for (ArgusEvent event : pending.events()) {
            CompletableFuture<Void> ack = send(event);
            acks.add(ack);
            if (failedForNow(ack)) {
                return false;   // the transport cannot take events now; the rest would fail the same way
            }
        }
        try {
            CompletableFuture.allOf(acks.stream().map(ack -> ack.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).get(ackWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        for (int i = 0; i < acks.size(); i++) {
            if (failedForNow(acks.get(i))) {
                return false;
            }
            if (acks.get(i).isCompletedExceptionally()) {
                LOG.error("Dropping spooled event {}: {} refused it for good", pending.events().get(i).getEventId(),
                    transport.describe());
            }
        }
        spool.markDelivered(pending);
        if (!spool.hasPending()) {
            LOG.info("Spool {} is delivered to {}; sending directly again", spool.dir(), transport.describe());
        }
        return true;
    }

    private CompletableFuture<Void> send(ArgusEvent event) {
        try {
            return transport.send(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Completed with a failure that a later attempt may not have. */
    private static boolean failedForNow(CompletableFuture<Void> ack) {
        if (!ack.isCompletedExceptionally()) {
            return false;
        }
        try {
            ack.getNow(null);
            return false;
        } catch (CompletionException e) {
            return !(e.getCause() instanceof RejectedEventException);
        }
    }
}
