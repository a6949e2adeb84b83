package io.argus.schemas;

import io.argus.schemas.avro.Attribution;
import io.argus.schemas.avro.BatchDone;
import io.argus.schemas.avro.BatchStart;
import io.argus.schemas.avro.Heartbeat;
import io.argus.schemas.avro.JobDone;
import io.argus.schemas.avro.JobFailed;
import io.argus.schemas.avro.JobProgress;
import io.argus.schemas.avro.JobStart;
import io.argus.schemas.avro.StopRequested;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event types with their wire names. The wire name ({@code job_done}) is what JSON, HTTP, logs and headers use;
 * the Avro record name ({@code JobDone}) stays inside the binary format.
 */
public enum EventType {
    BATCH_START("batch_start", BatchStart.class),
    BATCH_DONE("batch_done", BatchDone.class),
    JOB_START("job_start", JobStart.class),
    JOB_PROGRESS("job_progress", JobProgress.class),
    JOB_DONE("job_done", JobDone.class),
    JOB_FAILED("job_failed", JobFailed.class),
    ATTRIBUTION("attribution", Attribution.class),
    STOP_REQUESTED("stop_requested", StopRequested.class),
    HEARTBEAT("heartbeat", Heartbeat.class);

    private static final Map<String, EventType> BY_WIRE_NAME =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD_CLASS =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::payloadClass, Function.identity()));

    private final String wireName;
    private final Class<?> payloadClass;

    EventType(String wireName, Class<?> payloadClass) {
        this.wireName = wireName;
        this.payloadClass = payloadClass;
    }

    public String wireName() {
        return wireName;
    }

    public Class<?> payloadClass() {
        return payloadClass;
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    /** The type of an envelope's payload; empty for null or for an object that is not an Argus payload. */
    public static Optional<EventType> ofPayload(Object payload) {
        return payload == null ? Optional.empty() : Optional.ofNullable(BY_PAYLOAD_CLASS.get(payload.getClass()));
    }
}
