package io.argus.registry;

import java.time.Duration;

/** Turns what went wrong in a registry call into a {@link SchemaRegistryException} that says what and where. */
final class Failures {

    private static final int MAX_BODY_CHARS = 300;

    private Failures() {
    }

    /** The registry answered with an error status; its JSON error body gives {@code error_code} and {@code message}. */
    static SchemaRegistryException fromAnswer(RegistryTransport.Call call, RegistryTransport.Answer answer) {
        RegistryJson.ErrorAnswer error = RegistryJson.readError(answer.body());
        int errorCode = error == null || error.errorCode() == null ? 0 : error.errorCode();
        String registryMessage = error != null ? error.message() : abbreviate(answer.body());
        return new SchemaRegistryException("Registry refused to " + call.describe(), call.subject(), call.schemaId(),
                answer.status(), errorCode, registryMessage, answer.attempts(), null);
    }

    /** No HTTP answer arrived: connection refused, reset, timed out, or the thread was interrupted. */
    static SchemaRegistryException noResponse(RegistryTransport.Call call, String reason, int attempts, Throwable cause) {
        return new SchemaRegistryException("Registry did not answer " + call.describe() + ": " + reason, call.subject(),
                call.schemaId(), SchemaRegistryException.NO_RESPONSE, 0, null, attempts, cause);
    }

    /** The call's total deadline ran out before the retries did; keeps the last failure's status and error. */
    static SchemaRegistryException deadline(RegistryTransport.Call call, SchemaRegistryException last,
                                            Duration callTimeout, int attempts) {
        return new SchemaRegistryException("Gave up on " + call.describe() + " at the call deadline of "
                + callTimeout.toMillis() + " ms; last failure: " + last.getMessage(), call.subject(), call.schemaId(),
                last.httpStatus(), last.errorCode(), last.registryMessage().orElse(null), attempts, last);
    }

    /** A 2xx answer this client cannot use (not the expected JSON, or not an Avro schema). */
    static SchemaRegistryException unexpected(RegistryTransport.Call call, RegistryTransport.Answer answer,
                                              String problem, Throwable cause) {
        return new SchemaRegistryException("Unexpected answer to " + call.describe() + ": " + problem + "; body: "
                + abbreviate(answer.body()), call.subject(), call.schemaId(), answer.status(), 0, null,
                answer.attempts(), cause);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_BODY_CHARS ? flat : flat.substring(0, MAX_BODY_CHARS) + "...";
    }
}
