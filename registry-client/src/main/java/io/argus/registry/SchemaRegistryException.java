package io.argus.registry;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A registry call that failed. The message and the accessors say which subject or schema id was asked for and what
 * the registry answered, so an operator can act on it without a debugger.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Used as {@link #httpStatus()} when no HTTP answer arrived (connection refused, timeout). */
    public static final int NO_RESPONSE = 0;

    private final String subject;
    private final Integer schemaId;
    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;
    private final int attempts;

    public SchemaRegistryException(String message, String subject, Integer schemaId, int httpStatus, int errorCode,
                                   Throwable cause) {
        this(message, subject, schemaId, httpStatus, errorCode, null, 0, cause);
    }

    /**
     * @param registryMessage the {@code message} of the registry's JSON error body (or the start of a body that was
     *                        not JSON), null when there was none
     * @param attempts        how many HTTP attempts were made, 0 when unknown
     */
    public SchemaRegistryException(String message, String subject, Integer schemaId, int httpStatus, int errorCode,
                                   String registryMessage, int attempts, Throwable cause) {
        super(describe(message, subject, schemaId, httpStatus, errorCode, registryMessage, attempts), cause);
        this.subject = subject;
        this.schemaId = schemaId;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
        this.attempts = attempts;
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }

    /** The HTTP status, or {@link #NO_RESPONSE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (for example 40403, schema not found), or 0 when it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own {@code message} from its error body, when it gave one. */
    public Optional<String> registryMessage() {
        return Optional.ofNullable(registryMessage);
    }

    /** How many HTTP attempts the call made before it failed (retries included), or 0 when unknown. */
    public int attempts() {
        return attempts;
    }

    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** True when trying again later may succeed: no answer, 5xx, or 429. */
    public boolean isRetriable() {
        return httpStatus == NO_RESPONSE || httpStatus == 429 || httpStatus >= 500;
    }

    private static String describe(String message, String subject, Integer schemaId, int httpStatus, int errorCode,
                                   String registryMessage, int attempts) {
        StringBuilder text = new StringBuilder(message);
        if (subject != null) {
            text.append(" [subject=").append(subject).append(']');
        }
        if (schemaId != null) {
            text.append(" [schema id=").append(schemaId).append(']');
        }
        text.append(httpStatus == NO_RESPONSE ? " [no HTTP response]" : " [HTTP " + httpStatus + "]");
        if (errorCode != 0) {
            text.append(" [error_code=").append(errorCode).append(']');
        }
        if (attempts > 1) {
            text.append(" [after ").append(attempts).append(" attempts]");
        }
        if (registryMessage != null && !registryMessage.isBlank()) {
            text.append(": ").append(registryMessage);
        }
        return text.toString();
    }
}
