package io.argus.query;

/**
 * An answer other than success, with the HTTP status and the JSON error body {@code {"error": ..., "detail": ...}}.
 * Thrown anywhere in a handler; the server maps it in one place.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String error, String detail) {
        this(status, error, detail, null);
    }

    private ApiException(int status, String error, String detail, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad_request", detail);
    }

    /** 503 with Retry-After: the answer exists but this instance cannot give it right now (rebalancing, restoring). */
    public static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", detail, 1);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
