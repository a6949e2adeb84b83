package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.streams.state.BatchState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Filters, order and pages of {@code GET /api/batches}: newest first (by start time, or the first event's time for a
 * batch whose start has not arrived), ties by batch id. The cursor names the last batch of the previous page, so
 * paging stays stable while new batches arrive. Each instance answers only its first {@code limit + 1} batches after
 * the cursor ({@link FirstAfter}); the asking instance merges those few and cuts the page.
 */
final class BatchList {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** The filters of the list, from query parameters; empty means any. */
    record Filter(Optional<String> status, Optional<String> project, Optional<String> experimentType)
        implements Predicate<BatchState> {
        @Override
        public boolean test(BatchState batch) {
            return status.map(s -> s.equals(batch.getStatus().name())).orElse(true)
                && project.map(p -> p.equals(batch.getSourceProject())).orElse(true)
                && experimentType.map(e -> e.equals(batch.getExperimentType())).orElse(true);
        }
    }

    /** One page and the cursor of the next one (null on the last page). */
    record Page(List<JsonNode> batches, String nextCursor) {
    }

    private BatchList() {
    }

    static final Comparator<JsonNode> NEWEST_FIRST = Comparator
        .<JsonNode>comparingLong(BatchList::sortTime).reversed()
        .thenComparing(BatchList::idOf);

    /** Batch views (JSON, from any instance) in newest-first order, one page of them. */
    static Page page(List<JsonNode> all, Optional<String> cursor, int limit) {
        Optional<Position> after = cursor.map(Position::decode);
        List<JsonNode> sorted = all.stream()
            .sorted(NEWEST_FIRST)
            .filter(answer -> after.map(position -> position.isBefore(answer)).orElse(true))
            .toList();
        List<JsonNode> page = sorted.subList(0, Math.min(limit, sorted.size()));
        String next = sorted.size() > limit ? Position.of(page.get(page.size() - 1)).encode() : null;
        return new Page(page, next);
    }

    /** The same order over the stored records, for an instance's own scan. */
    static final Comparator<BatchState> NEWEST_STATE_FIRST = Comparator
        .<BatchState>comparingLong(BatchList::sortTime).reversed()
        .thenComparing(BatchState::getBatchId);

    /**
     * One instance's share of a page: its first {@code limit} batches after the cursor in newest-first order. It sees
     * every batch of the instance once but keeps only {@code limit} of them (a bounded heap), so a page costs
     * O(n log limit) time and O(limit) memory and transfer per instance, whatever the page number.
     */
    static final class FirstAfter implements Consumer<BatchState> {
        private final Optional<Position> after;
        private final int limit;
        /** The kept batches, the last in page order on top, so it is the one dropped when one more comes. */
        private final PriorityQueue<BatchState> kept = new PriorityQueue<>(NEWEST_STATE_FIRST.reversed());

        FirstAfter(Optional<Position> after, int limit) {
            this.after = after;
            this.limit = limit;
        }

        @Override
        public void accept(BatchState batch) {
            if (after.map(position -> position.isBefore(sortTime(batch), batch.getBatchId())).orElse(true)) {
                kept.add(batch);
                if (kept.size() > limit) {
                    kept.poll();
                }
            }
        }

        List<BatchState> inOrder() {
            List<BatchState> first = new ArrayList<>(kept);
            first.sort(NEWEST_STATE_FIRST);
            return first;
        }
    }

    static long sortTime(BatchState batch) {
        Long time = batch.getStartTime() != null ? batch.getStartTime() : batch.getLastEventTs();
        return time == null ? 0 : time;
    }

    static long sortTime(JsonNode batch) {
        String time = batch.path("start_time").isTextual() ? batch.path("start_time").asText()
            : batch.path("last_event_ts").asText(null);
        return time == null ? 0 : Instant.parse(time).toEpochMilli();
    }

    static String idOf(JsonNode batch) {
        return batch.path("batch_id").asText();
    }

    /** Where a page ended: the sort time and batch id of its last batch. */
    record Position(long time, String batchId) {

        static Position of(JsonNode batch) {
            return new Position(sortTime(batch), idOf(batch));
        }

        /** True when the batch comes after this position in newest-first order. */
        boolean isBefore(JsonNode batch) {
            return isBefore(sortTime(batch), idOf(batch));
        }

        boolean isBefore(long otherTime, String otherId) {
            return otherTime < time || (otherTime == time && otherId.compareTo(batchId) > 0);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + ":" + batchId).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                return new Position(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw ApiException.badRequest("cursor '" + cursor + "' is not one this service gave out");
            }
        }
    }
}
