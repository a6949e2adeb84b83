package io.argus.query;

import io.javalin.http.Context;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Forwards a read to the instance that owns its batch and streams the answer back; a body that breaks on the way
 * breaks this answer too ({@link StreamedBody#relayed}), it never ends as a clean 200. One hop only: a request that
 * was already forwarded and still does not land on the owner (ownership moved meanwhile) is answered 503, so two
 * instances with different views of the assignment can never bounce a request between them.
 */
final class Forwarder {

    static final String FORWARDED_HEADER = "X-Argus-Forwarded-By";

    private final HttpClient client;
    private final HostInfo self;
    private final Duration timeout;

    /**
     * @param connectTimeout how long connecting to the owner may take ({@code argus.peer.connect.timeout.ms})
     * @param timeout how long the owner may take to answer ({@code argus.forward.timeout.ms}): longer than the longest
     *     decision wait, which a forwarded decision request waits out at the owner
     */
    Forwarder(HostInfo self, Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.self = self;
        this.timeout = timeout;
    }

    static boolean wasForwarded(Context ctx) {
        return ctx.header(FORWARDED_HEADER) != null;
    }

    /** Sends the same GET to the owner and copies its status, content type and body. */
    void forward(Context ctx, HostInfo owner) {
        if (wasForwarded(ctx)) {
            throw ApiException.unavailable("batch moved while the request was forwarded; try again");
        }
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + owner.host() + ":" + owner.port() + ctx.path() + query))
            .timeout(timeout)
            .header(FORWARDED_HEADER, self.host() + ":" + self.port())
            .GET();
        for (String header : List.of("Authorization", "If-None-Match")) {
            String value = ctx.header(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        // Asynchronous: a forwarded decision wait holds no Jetty thread while the owner waits.
        ctx.future(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .handle((response, failure) -> {
                if (failure != null) {
                    throw ApiException.unavailable("the owner " + owner.host() + ":" + owner.port()
                        + " did not answer: " + rootCause(failure).getMessage());
                }
                ctx.status(response.statusCode());
                response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
                for (String header : List.of("Retry-After", "ETag")) {
                    response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
                }
                ctx.header("X-Argus-Served-By", owner.host() + ":" + owner.port());
                ctx.result(StreamedBody.relayed(ctx, response.body()));
                return null;
            }));
    }

    private static Throwable rootCause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
