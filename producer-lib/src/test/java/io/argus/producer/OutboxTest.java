package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Outbox's ordering rules, with a transport whose acknowledgements the test hands out itself: a real broker
 * cannot be made to hold one acknowledgement back at a chosen moment. The real-broker tests
 * ({@link BrokerOutageIntegrationTest}, {@link SpoolRedeliveryIntegrationTest}) cover the same paths end to end.
 */
class OutboxTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Events events = new Events("b-outbox", "test/1/x", Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void aDoneThatWaitsTooLongSpoolsEverythingUnacknowledgedInOrderAndTheSpoolIsResentInOrder() throws IOException {
        HeldTransport transport = new HeldTransport();
        List<ArgusEvent> published = progress(5);
        try (Outbox outbox = new Outbox(transport, Spool.open(dir, 1 << 20), Duration.ofMillis(200),
            Duration.ofSeconds(5), "test")) {
            outbox.publish(published.get(0));
            outbox.publish(published.get(1));
            assertThat(outbox.publishDurably(published.get(2))).isEqualTo(Outbox.Outcome.SPOOLED);
            outbox.publish(published.get(3));
            outbox.publish(published.get(4));
            assertThat(transport.sent()).as("spooled events wait for the spool").containsExactlyElementsOf(
                published.subList(0, 3));

            List<CompletableFuture<Void>> late = transport.pending();
            transport.acknowledgeFromNowOn();
            await().atMost(DEADLINE).until(() -> outbox.undelivered() == 0);
            late.forEach(ack -> ack.complete(null));

            List<ArgusEvent> resent = transport.sent().subList(3, transport.sent().size());
            assertThat(resent).containsExactlyElementsOf(published);
        }
        assertThat(Files.size(dir.resolve(Spool.EVENTS_FILE))).isZero();
    }

    @Test
    void aFailedSendMovesItAndEverythingAfterItIntoTheSpool() {
        HeldTransport transport = new HeldTransport();
        List<ArgusEvent> published = progress(3);
        try (Spool spool = Spool.open(dir, 1 << 20);
             Outbox outbox = new Outbox(transport, spool, Duration.ofSeconds(5), Duration.ofMillis(300), "test")) {
            outbox.publish(published.get(0));
            outbox.publish(published.get(1));
            transport.pending().get(0).completeExceptionally(new IOException("connection reset"));
            await().atMost(DEADLINE).until(spool::hasPending);
            outbox.publish(published.get(2));
            assertThat(spool.readPending(10).events()).containsExactlyElementsOf(published);

            transport.acknowledgeFromNowOn();
            assertThat(outbox.flush(DEADLINE)).isTrue();
            List<ArgusEvent> sent = transport.sent();
            assertThat(sent.subList(sent.size() - 3, sent.size())).as("the last re-send, acknowledged")
                .containsExactlyElementsOf(published);
        }
    }

    @Test
    void anEventTheBackendRefusesForGoodIsDroppedAndBlocksNothing() {
        HeldTransport transport = new HeldTransport();
        transport.acknowledgeFromNowOn();
        ArgusEvent refused = progress(1).get(0);
        transport.refuse(refused);
        ArgusEvent next = progress(1).get(0);
        try (Spool spool = Spool.open(dir, 1 << 20);
             Outbox outbox = new Outbox(transport, spool, Duration.ofSeconds(5), Duration.ofSeconds(5), "test")) {
            assertThatThrownBy(() -> outbox.publishDurably(refused)).isInstanceOf(RejectedEventException.class);
            outbox.publish(next);
            assertThat(outbox.flush(DEADLINE)).isTrue();
            assertThat(transport.sent()).as("the refused event is sent once, never again; the next one goes through")
                .containsExactly(refused, next);
            assertThat(outbox.undelivered()).isZero();
            assertThat(spool.hasPending()).as("nothing was spooled behind the refused event").isFalse();
        }
    }

    private List<ArgusEvent> progress(int count) {
        List<ArgusEvent> list = new ArrayList<>();
        for (int step = 0; step < count; step++) {
            list.add(events.wrap(new JobProgress("j", 1, (long) step, Map.of())));
        }
        return list;
    }

    /** Holds acknowledgements until told to acknowledge; refuses chosen events for good. */
    private static final class HeldTransport implements Transport {
        private final List<ArgusEvent> sent = new ArrayList<>();
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
        private final List<ArgusEvent> refused = new ArrayList<>();
        private boolean acknowledge;

        @Override
        public synchronized CompletableFuture<Void> send(ArgusEvent event) {
            sent.add(event);
            if (refused.contains(event)) {
                return CompletableFuture.failedFuture(new RejectedEventException("refused", null));
            }
            if (acknowledge) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> ack = new CompletableFuture<>();
            pending.add(ack);
            return ack;
        }

        synchronized void acknowledgeFromNowOn() {
            acknowledge = true;
        }

        synchronized void refuse(ArgusEvent event) {
            refused.add(event);
        }

        synchronized List<ArgusEvent> sent() {
            return new ArrayList<>(sent);
        }

        synchronized List<CompletableFuture<Void>> pending() {
            return new ArrayList<>(pending);
        }

        @Override
        public String describe() {
            return "held transport";
        }

        @Override
        public void close(Duration timeout) {
        }
    }
}
