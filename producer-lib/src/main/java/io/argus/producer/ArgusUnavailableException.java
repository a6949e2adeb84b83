package io.argus.producer;

/**
 * The query service could not answer a question the Reporter must not guess at (which jobs are done, which attempt
 * a job is at): it is unreachable, not configured, or has not caught up with this launch within the deadline.
 */
public final class ArgusUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ArgusUnavailableException(String message) {
        super(message);
    }

    ArgusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
