package io.argus.query;

import io.argus.streams.state.BatchState;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;

/**
 * Conditional reads of a batch, for pages that poll it: the ETag is the length of the batch's history (every change
 * to a batch or its jobs is an event, and every event lengthens it) plus the time-dependent {@code stalled} flag. A
 * client that sends it back in {@code If-None-Match} gets a 304 with no body while nothing happened.
 */
final class BatchEtag {

    private BatchEtag() {
    }

    static String of(BatchState batch, boolean stalled) {
        return "W/\"" + batch.getHistorySize() + (stalled ? "-stalled" : "") + "\"";
    }

    /** Sets the ETag; true (and a 304 answered) when the client already has this version. */
    static boolean notModified(Context ctx, String etag) {
        ctx.header("ETag", etag);
        String known = ctx.header("If-None-Match");
        if (known != null && (known.trim().equals("*") || Arrays.stream(known.split(","))
            .map(String::trim).anyMatch(etag::equals))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return true;
        }
        return false;
    }
}
