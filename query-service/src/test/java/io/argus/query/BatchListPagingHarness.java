package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.schemas.AvroTrust;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.view.ViewJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire skips the name): prints what one page of {@code GET /api/batches} costs with 100,000 batches
 * on two instances, the whole-list way and the per-instance-share way. It leaves out the RocksDB scan and HTTP, which
 * both ways pay for every batch (scan) or only the old way pays for every batch (HTTP). Run it alone:
 * {@code mvn -pl query-service -am test -Dtest=BatchListPagingHarness -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BatchListPagingHarness {

    private static final int BATCHES = 100_000;
    private static final int LIMIT = 50;

    @Test
    void printPageLatencies() {
        AvroTrust.trustGeneratedClasses();
        List<List<BatchState>> instances = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < BATCHES; i++) {
            instances.get(i % 2).add(BatchState.newBuilder().setBatchId(String.format("b-%06d", i))
                .setStatus(BatchStatus.running).setStartTime(1_700_000_000_000L + (i * 7919L % BATCHES) * 1000)
                .setSourceProject("p").setExperimentType("e").build());
        }
        Instant now = Instant.now();
        for (int round = 0; round < 3; round++) {
            Optional<String> cursor = Optional.empty();
            for (int page = 0; page < 1_000; page++) {
                Optional<String> at = cursor;
                long before = System.nanoTime();
                BatchList.Page whole = BatchList.page(instances.stream().flatMap(List::stream)
                    .map(b -> (JsonNode) ViewJson.mapper().valueToTree(BatchAnswer.of(b, now, Duration.ofMinutes(3))))
                    .toList(), at, LIMIT);
                long wholeMs = (System.nanoTime() - before) / 1_000_000;
                before = System.nanoTime();
                List<JsonNode> shares = new ArrayList<>();
                for (List<BatchState> instance : instances) {
                    BatchList.FirstAfter first = new BatchList.FirstAfter(at.map(BatchList.Position::decode),
                        LIMIT + 1);
                    instance.forEach(first);
                    first.inOrder().forEach(b -> shares.add(ViewJson.mapper().valueToTree(
                        BatchAnswer.of(b, now, Duration.ofMinutes(3)))));
                }
                BatchList.Page merged = BatchList.page(shares, at, LIMIT);
                long sharesMs = (System.nanoTime() - before) / 1_000_000;
                if (!merged.equals(whole)) {
                    throw new AssertionError("the pages differ at page " + page);
                }
                if (round == 2 && (page == 0 || page == 999)) {
                    System.out.printf("page %d of %d batches: whole list %d ms, shares %d ms%n", page + 1, BATCHES,
                        wholeMs, sharesMs);
                }
                cursor = Optional.ofNullable(merged.nextCursor());
                if (page > 0 && round < 2) {
                    break;
                }
                if (page == 0 && round == 2) {
                    // jump to a late page: the cursor of the 1000th page, found cheaply
                    page = 998;
                    cursor = Optional.of(lateCursor(instances, 999 * LIMIT));
                }
            }
        }
    }

    private static String lateCursor(List<List<BatchState>> instances, int skip) {
        List<BatchState> all = new ArrayList<>();
        instances.forEach(all::addAll);
        all.sort(BatchList.NEWEST_STATE_FIRST);
        BatchState last = all.get(skip - 1);
        return new BatchList.Position(BatchList.sortTime(last), last.getBatchId()).encode();
    }
}
