package io.argus.query;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Numeric query parameters with bounds; a bad value is a 400 that names the parameter and the range. */
final class QueryParams {

    private QueryParams() {
    }

    /**
     * Refuses a query string whose percent-encoding is broken ({@code %ZZ}, a lone {@code %}) or decodes to bytes that
     * are not UTF-8. Left alone, such a parameter would silently count as absent.
     */
    static void requireWellFormed(Context ctx) {
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(query.length());
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c != '%') {
                decoded.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(query.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw ApiException.badRequest("the query string has a '%' not followed by two hex digits at character "
                    + i);
            }
            decoded.write(high * 16 + low);
            i += 2;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded.toByteArray()));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the query string's percent-encoding does not decode to UTF-8");
        }
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
