package io.argus.streams.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead-letter records: the original key and bytes, untouched, with why and where from in headers, so an
 * operator can inspect, fix and re-publish them. Payloads are never logged.
 */
final class DeadLetters {

    /** {@code bytes} (not decodable), {@code invalid} (decodable, breaks an invariant). */
    static final String CATEGORY = "argus.dlq.category";
    /** A short machine-readable cause: an {@code InvalidEventBytesException} reason or the invalid field. */
    static final String REASON = "argus.dlq.reason";
    /** The full explanation in words. */
    static final String DETAIL = "argus.dlq.detail";
    static final String SOURCE_TOPIC = "argus.dlq.source.topic";
    static final String SOURCE_PARTITION = "argus.dlq.source.partition";
    static final String SOURCE_OFFSET = "argus.dlq.source.offset";

    static final String CATEGORY_BYTES = "bytes";
    static final String CATEGORY_INVALID = "invalid";

    private DeadLetters() {
    }

    static Record<String, byte[]> of(Record<String, byte[]> original, RecordMetadata source, String category,
                                     String reason, String detail) {
        Headers headers = new RecordHeaders(original.headers().toArray());
        put(headers, CATEGORY, category);
        put(headers, REASON, reason);
        put(headers, DETAIL, detail);
        put(headers, SOURCE_TOPIC, source.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
