package io.argus.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request body read as JSON values: one value, the elements of one array, or NDJSON (a sequence of values). Strict:
 * the bytes must be UTF-8, nesting is bounded, a field may not repeat, nothing may follow the JSON, and numbers keep
 * the digits that were sent (so a metric can be checked to fit a 64-bit float exactly). Every refusal is a 400 whose
 * detail says what and where in plain words, never the parser's own names.
 */
final class JsonBody {

    /** Deeper than any event (an event is an object holding maps: 2 levels; an array of them: 3). */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    /** Where a parser's message starts naming its own switches; what follows is cut from a detail. */
    private static final List<String> PARSER_INTERNALS = List.of(": enable ", "; enable ", " (not recognized",
        " (from `", "`", "Feature", "StreamReadConstraints");

    private JsonBody() {
    }

    /** True when the body holds nothing but whitespace (after the UTF-8 check). */
    static boolean isBlank(byte[] body) {
        requireUtf8(body);
        return firstNonSpace(body) < 0;
    }

    static List<JsonNode> values(byte[] body) {
        requireUtf8(body);
        int first = firstNonSpace(body);
        if (first < 0) {
            return List.of();
        }
        try {
            if (body[first] == '[') {
                List<JsonNode> nodes = new ArrayList<>();
                READER.readTree(body).forEach(nodes::add);
                return nodes;
            }
            try (MappingIterator<JsonNode> values = READER.readerFor(JsonNode.class).readValues(body)) {
                return values.readAll();
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON, a JSON array or NDJSON: " + plain(e)
                + where(e.getLocation()));
        } catch (IOException | RuntimeException e) {
            // MappingIterator wraps a parse failure of a later value in a RuntimeException.
            if (e.getCause() instanceof JsonProcessingException json) {
                throw ApiException.badRequest("the body is not JSON, a JSON array or NDJSON: " + plain(json)
                    + where(json.getLocation()));
            }
            throw ApiException.badRequest("the body could not be read as JSON");
        }
    }

    /** Refuses bytes that are not UTF-8 (stray bytes, overlong forms, encoded surrogates) with the byte offset. */
    static void requireUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, 8192) + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                int offset = in.position();
                throw ApiException.badRequest("the body is not valid UTF-8: invalid byte 0x"
                    + String.format("%02X", body[offset] & 0xFF) + " at byte offset " + offset
                    + fieldBefore(body, offset).map(field -> ", in the value of field '" + field + "'").orElse(""));
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    /** The field whose value the JSON was in at {@code offset}, when the valid text before it says so. */
    private static Optional<String> fieldBefore(byte[] body, int offset) {
        String before = new String(body, 0, offset, StandardCharsets.UTF_8);
        String field = null;
        try (JsonParser parser = READER.getFactory().createParser(before)) {
            while (parser.nextToken() != null) {
                field = parser.getParsingContext().getCurrentName();
            }
        } catch (IOException e) {
            // The text ends inside the bad value; the name seen last is the field it belongs to.
        }
        return Optional.ofNullable(field);
    }

    /** A parser message without the parser's internals (feature and setting names). */
    private static String plain(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String message = String.valueOf(e.getOriginalMessage());
            return message.contains("nesting depth") ? "it is nested more than " + MAX_DEPTH + " levels deep"
                : "a number or string in it is longer than this service accepts";
        }
        if (e instanceof JsonEOFException) {
            return "it ends before it is complete";
        }
        String message = String.valueOf(e.getOriginalMessage());
        int cut = message.length();
        for (String marker : PARSER_INTERNALS) {
            int at = message.indexOf(marker);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        String words = message.substring(0, cut).replaceAll("[\\s:;,(]+$", "");
        return words.isEmpty() ? "it is malformed" : words;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr()
            + (location.getByteOffset() >= 0 ? ", byte offset " + location.getByteOffset() : "") + ")";
    }

    private static int firstNonSpace(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' && body[i] != '\n') {
                return i;
            }
        }
        return -1;
    }
}
