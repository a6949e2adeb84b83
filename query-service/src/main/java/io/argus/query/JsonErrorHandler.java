package io.argus.query;

import io.argus.streams.view.ViewJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error answers as the API's JSON errors {@code {"error": ..., "detail": ...}}, whatever the client accepts:
 * requests Jetty refuses before any route sees them (a malformed request line, a bad URI, a 414 or 431 limit, an
 * unknown HTTP version) and anything that escapes the routes. Details are Jetty's short reason, never a cause's text.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** What looks like a Java class or package name; such a reason is replaced by the status's own words. */
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|jakarta|org|com|io)\\.[a-z]+\\.|Exception");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        int status = cause instanceof HttpException http ? http.getCode() : response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (reason == null && cause instanceof HttpException http) {
            reason = http.getReason();
        }
        // An unknown HTTP version is a malformed request line: the client's error, not the server's (no 5xx).
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            status = HttpStatus.BAD_REQUEST_400;
            reason = "unknown HTTP version; this server speaks HTTP/1.0 and HTTP/1.1";
        }
        response.setStatus(status);
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            // Jetty's own 503s (an instance that is stopping refuses new requests) pass as any 503 of the API: try
            // again, here or on another instance. A forwarding instance relays the header with the answer.
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        byte[] body = ViewJson.write(ArgusHttp.error(errorName(status), detail(status, reason)))
            .getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The {@code error} of an answer with this status: a stable, machine-readable name. */
    static String errorName(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }

    private static String detail(int status, String reason) {
        if (status >= 500 && status != 503) {
            return "the request failed on the server; see its log";
        }
        return switch (status) {
            case 414 -> "the request line (method, URI, version) is longer than this server accepts";
            case 431 -> "the request's headers are larger than this server accepts";
            case 503 -> "this instance cannot answer now (it may be stopping); try again";
            case 400 -> reason == null || reason.equals(HttpStatus.getMessage(status))
                || CLASS_NAME.matcher(reason).find()
                ? "the request is malformed: its URI holds a NUL, bad percent-encoding or a '..' that leaves the root"
                : "the request is malformed: " + reason;
            default -> reason == null || CLASS_NAME.matcher(reason).find() ? HttpStatus.getMessage(status) : reason;
        };
    }
}
