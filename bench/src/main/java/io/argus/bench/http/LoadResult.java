package io.argus.bench.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * What one load-generator run measured; it travels from the child to the bench as the single line
 * {@code RESULT {json}} of the child's output.
 *
 * @param requests           requests sent in the timed part (answered or not)
 * @param errors             requests that failed: an answer other than 200, a timeout, a connection error
 * @param events             events in the requests answered 200 (0 for GETs)
 * @param p50Ms              median latency over every request, errors included
 * @param p99Ms              99th percentile latency
 * @param maxMs              the slowest request
 * @param requestsPerSecond  requests completed per second of the timed part
 * @param eventsPerSecond    events accepted per second of the timed part (0 for GETs)
 * @param startedEpochMillis when the timed part began, by the wall clock, which the bench's JVM shares: for timing
 *                           what follows the load in another process (the end-to-end row)
 * @param firstError         what the first failed request got, for the report; null when none failed
 */
public record LoadResult(long requests, long errors, long events, double p50Ms, double p99Ms, double maxMs,
                         double requestsPerSecond, double eventsPerSecond, long startedEpochMillis,
                         String firstError) {

    static final String PREFIX = "RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    String toLine() {
        try {
            return PREFIX + JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + this, e);
        }
    }

    /** The result line of a child's output, if it printed one. */
    static Optional<LoadResult> fromOutput(String output) {
        return output.lines().filter(line -> line.startsWith(PREFIX)).reduce((first, second) -> second)
            .map(LoadResult::parse);
    }

    private static LoadResult parse(String line) {
        try {
            return JSON.readValue(line.substring(PREFIX.length()), LoadResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable result line: " + line, e);
        }
    }
}
