package io.argus.query;

import io.javalin.http.Context;
import java.util.Optional;

/** Numeric query parameters with bounds; a bad value is a 400 that names the parameter and the range. */
final class QueryParams {

    private QueryParams() {
    }

    /** The parameter, or empty when absent. */
    static Optional<Long> number(Context ctx, String name, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return Optional.of(value);
    }

    static long required(Context ctx, String name, long min, long max) {
        return number(ctx, name, min, max)
            .orElseThrow(() -> ApiException.badRequest(name + " is required (" + min + " to " + max + ")"));
    }
}
