package io.argus.producer;

/** The backend refused an event for good (too large, invalid): sending it again cannot help. */
final class RejectedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RejectedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
