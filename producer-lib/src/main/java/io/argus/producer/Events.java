package io.argus.producer;

import io.argus.schemas.avro.ArgusEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Wraps payloads into envelopes for one batch. The event id is chosen here, once: every later re-send (from the
 * spool, by this or a later process) carries the same id, which is what makes the fold ignore the copies.
 */
final class Events {

    private final String batchId;
    private final String producer;
    private final Clock clock;

    Events(String batchId, String producer, Clock clock) {
        this.batchId = batchId;
        this.producer = producer;
        this.clock = clock;
    }

    ArgusEvent wrap(Object payload) {
        return ArgusEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setBatchId(batchId)
            // The log holds milliseconds; truncating here keeps what we compare equal to what comes back.
            .setTs(clock.instant().truncatedTo(ChronoUnit.MILLIS))
            .setProducer(producer)
            .setPayload(payload)
            .build();
    }

    /** {@code host/pid/launch}: the launch id tells two runs of one process id apart in the history. */
    static String producerName(String launchId) {
        return hostName() + "/" + ProcessHandle.current().pid() + "/" + launchId;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
