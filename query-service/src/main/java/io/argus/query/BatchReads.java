package io.argus.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.BatchAggregate;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.state.HistoryChunk;
import io.argus.streams.state.HistoryRef;
import io.argus.streams.topology.HistoryIndex;
import io.argus.streams.view.BatchView;
import io.argus.streams.view.JobView;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Answers about batches this instance owns, from its local stores. Lists of jobs and results are streamed row by row
 * from a prefix scan, so listing a batch of 100,000 jobs never holds them all in memory. History and time travel read
 * the events themselves from the log, where the batch's history index says they are, {@value #FOLD_READ_SIZE} at a
 * time. Time travel ({@code as_of}) is the exception to the first rule: it folds the batch's log prefix again, and
 * that fold holds every job of the prefix in memory until the answer is built.
 */
final class BatchReads {

    /** History entries read from the log at once when folding a prefix for time travel. */
    private static final int FOLD_READ_SIZE = 1_000;
    /** History positions a filtered page of events looks at, at most. */
    static final int FILTER_SCAN_POSITIONS = 20_000;
    /** Events a filtered page reads from the log, at most (a filter by job reads candidates it may drop). */
    static final int FILTER_READ_BUDGET = 2_000;

    private final LocalStores stores;
    private final EventLogReader log;
    private final Deserializer<ArgusEvent> events;
    private final Clock clock;
    private final Duration stallTimeout;

    BatchReads(LocalStores stores, EventLogReader log, Deserializer<ArgusEvent> events, Clock clock,
               Duration stallTimeout) {
        this.stores = stores;
        this.log = log;
        this.events = events;
        this.clock = clock;
        this.stallTimeout = stallTimeout;
    }

    /** The same reads, against one partition's stores: the partition that owns the batch asked about. */
    BatchReads at(int partition) {
        return new BatchReads(stores.at(partition), log, events, clock, stallTimeout);
    }

    BatchState batch(String batchId) {
        return stores.batch(batchId).orElseThrow(() -> ApiException.notFound("no batch " + batchId));
    }

    BatchAnswer view(String batchId) {
        return BatchAnswer.of(batch(batchId), clock.instant(), stallTimeout);
    }

    /** The batch and its ETag ({@link BatchEtag}), from one read of the store. */
    record Versioned<T>(T answer, String etag) {
    }

    Versioned<BatchAnswer> versionedView(String batchId) {
        BatchState batch = batch(batchId);
        BatchAnswer answer = BatchAnswer.of(batch, clock.instant(), stallTimeout);
        return new Versioned<>(answer, BatchEtag.of(batch, answer.stalled()));
    }

    /**
     * The batch's launches, oldest first: its first start, each resume (with when the batch went quiet before it)
     * and each ignored relaunch. Bounded by the batch record's cap, so one answer holds them all.
     */
    Versioned<Launches> launches(String batchId) {
        BatchState batch = batch(batchId);
        return new Versioned<>(Launches.of(batch), BatchEtag.of(batch, false));
    }

    /** The ETag of the batch's jobs: they change only with an event of the batch. */
    String jobsEtag(String batchId) {
        return BatchEtag.of(batch(batchId), false);
    }

    /**
     * The batch as it stood at {@code asOf}: the state the fold had right after the last event of the batch, in log
     * order, whose own time is at or before {@code asOf}. That is a prefix of the batch's log, so the answer is a
     * state that really existed, even when producers' clocks disagree. It folds the prefix again from the log.
     */
    BatchAnswer viewAsOf(String batchId, Instant asOf) {
        long size = batch(batchId).getHistorySize();
        long prefix = 0;
        for (long position = 0; position < size; position += HistoryIndex.CHUNK_SIZE) {
            List<HistoryRef> chunk = chunk(batchId, position);
            for (int i = 0; i < chunk.size(); i++) {
                if (chunk.get(i).getTs() <= asOf.toEpochMilli()) {
                    prefix = position + i + 1;
                }
            }
        }
        if (prefix == 0) {
            throw ApiException.notFound("batch " + batchId + " had no events at " + asOf);
        }
        BatchAggregate aggregate = new BatchAggregate();
        for (long from = 0; from < prefix; from += FOLD_READ_SIZE) {
            readEvents(batchId, from, Math.min(prefix, from + FOLD_READ_SIZE))
                .forEach(event -> aggregate.apply(event.event()));
        }
        return BatchAnswer.asOf(aggregate.batch().orElseThrow(), asOf, stallTimeout);
    }

    /** This instance's first {@code limit} batches after the cursor, filtered, newest first ({@link BatchList}). */
    List<BatchAnswer> localBatches(Predicate<BatchState> filter, Optional<BatchList.Position> after, int limit) {
        BatchList.FirstAfter first = new BatchList.FirstAfter(after, limit);
        stores.forEachBatch(batch -> {
            if (filter.test(batch)) {
                first.accept(batch);
            }
        });
        Instant now = clock.instant();
        return first.inOrder().stream().map(batch -> BatchAnswer.of(batch, now, stallTimeout)).toList();
    }

    JobView job(String batchId, String jobId) {
        batch(batchId);
        return JobView.detail(stores.job(batchId, jobId)
            .orElseThrow(() -> ApiException.notFound("batch " + batchId + " has no job " + jobId)));
    }

    Optional<JobState> jobState(String batchId, String jobId) {
        return stores.job(batchId, jobId);
    }

    /**
     * Writes the jobs as a JSON array of their chosen fields, one at a time. The generator is not closed on failure:
     * closing would end the array and make a cut-off list look whole.
     */
    void writeJobs(String batchId, Optional<JobStatus> status, JobListFields fields, OutputStream out) {
        batch(batchId);
        ObjectMapper mapper = ViewJson.mapper();
        try {
            JsonGenerator json = mapper.getFactory().createGenerator(out);
            json.writeStartArray();
            stores.forEachJob(batchId, job -> {
                if (status.isEmpty() || job.getStatus() == status.get()) {
                    try {
                        fields.write(json, JobView.summary(job));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            json.writeEndArray();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page of the batch's history and where the next one starts; {@code nextCursor} is null at the end. */
    record EventPage(List<Map<String, Object>> events, Long nextCursor) {
    }

    /**
     * One page of the batch's history, in log order, from position {@code from}: costs O(limit), not O(history).
     * A filter by type is applied on the history index, so skipped events are never read from the log; a filter by
     * job reads the candidates from the log, at most {@link #FILTER_READ_BUDGET} of them. A filtered page looks at
     * most {@code scan} positions, so it may hold fewer than {@code limit} events (even none) and still have a next
     * cursor; with {@code scan <= limit} it covers exactly {@code [from, from + scan)} (when no job filter stops it
     * earlier), so a client can read ranges in parallel.
     */
    EventPage events(String batchId, long from, int limit, int scan, EventFilter filter) {
        long size = batch(batchId).getHistorySize();
        if (!filter.narrows()) {
            long end = Math.min(size, from + limit);
            List<Map<String, Object>> page = new ArrayList<>(limit);
            long position = from;
            for (LoggedEvent logged : readEvents(batchId, from, end)) {
                page.add(eventJson(logged, position++));
            }
            return new EventPage(page, end < size ? end : null);
        }
        long scanEnd = Math.min(size, from + scan);
        List<Map<String, Object>> page = new ArrayList<>();
        long position = from;
        int read = 0;
        while (position < scanEnd && page.size() < limit && read < FILTER_READ_BUDGET) {
            int wanted = filter.jobId().isPresent() ? FILTER_READ_BUDGET - read : limit - page.size();
            List<HistoryRef> candidates = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            while (position < scanEnd && candidates.size() < wanted) {
                List<HistoryRef> chunk = chunk(batchId, position);
                int offset = (int) (position % HistoryIndex.CHUNK_SIZE);
                if (offset >= chunk.size()) {
                    break;
                }
                for (int i = offset; i < chunk.size() && position < scanEnd && candidates.size() < wanted; i++) {
                    HistoryRef ref = chunk.get(i);
                    if (filter.types().isEmpty() || filter.types().contains(ref.getType())) {
                        candidates.add(ref);
                        positions.add(position);
                    }
                    position++;
                }
            }
            List<byte[]> values = log.read(candidates);
            read += candidates.size();
            for (int i = 0; i < candidates.size(); i++) {
                Map<String, Object> json = eventJson(new LoggedEvent(candidates.get(i),
                    events.deserialize(null, values.get(i))), positions.get(i));
                if (filter.jobId().isEmpty() || filter.jobId().get().equals(json.get("job_id"))) {
                    page.add(json);
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
        }
        return new EventPage(page, position < size ? position : null);
    }

    private static Map<String, Object> eventJson(LoggedEvent logged, long position) {
        Map<String, Object> json = EventJson.toMap(logged.event());
        json.put("effect", logged.place().getEffect().name());
        json.put("partition", logged.place().getPartition());
        json.put("offset", logged.place().getOffset());
        json.put("position", position);
        return json;
    }

    /** An event of the batch's history: where it is in the log, with its effect, and the event itself. */
    private record LoggedEvent(HistoryRef place, ArgusEvent event) {
    }

    /** The events of the batch's history from position {@code from} up to {@code end} (exclusive), read from the log. */
    private List<LoggedEvent> readEvents(String batchId, long from, long end) {
        List<HistoryRef> places = new ArrayList<>();
        for (long position = from; position < end; ) {
            List<HistoryRef> chunk = chunk(batchId, position);
            int offset = (int) (position % HistoryIndex.CHUNK_SIZE);
            int take = (int) Math.min(chunk.size() - offset, end - position);
            if (take <= 0) {
                break;
            }
            places.addAll(chunk.subList(offset, offset + take));
            position += take;
        }
        List<byte[]> values = log.read(places);
        List<LoggedEvent> read = new ArrayList<>(places.size());
        for (int i = 0; i < places.size(); i++) {
            read.add(new LoggedEvent(places.get(i), events.deserialize(null, values.get(i))));
        }
        return read;
    }

    private List<HistoryRef> chunk(String batchId, long position) {
        return stores.historyChunk(batchId, position).map(HistoryChunk::getEntries).orElse(List.of());
    }

    /** Every finished job's params, metrics and result as JSON lines. */
    void writeResultsJsonl(String batchId, OutputStream out) {
        batch(batchId);
        ObjectMapper mapper = ViewJson.mapper();
        stores.forEachJob(batchId, job -> {
            if (job.getStatus() == JobStatus.done) {
                try {
                    out.write(mapper.writeValueAsBytes(new ResultRow(job.getJobId(), job.getAttempt(),
                        job.getParams(), job.getMetrics(), job.getResult(), job.getOutputUri(),
                        BatchView.iso(job.getFinishedAt()))));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    /** Every finished job as a CSV row: job_id, attempt, each param and each metric as a column. */
    void writeLeaderboardCsv(String batchId, OutputStream out) {
        batch(batchId);
        // Columns come from the jobs themselves; a first pass collects them without keeping the jobs.
        SortedSet<String> params = new TreeSet<>();
        SortedSet<String> metrics = new TreeSet<>();
        stores.forEachJob(batchId, job -> {
            if (job.getStatus() == JobStatus.done) {
                params.addAll(job.getParams().keySet());
                metrics.addAll(job.getMetrics().keySet());
            }
        });
        Csv csv = new Csv(out);
        List<String> header = new ArrayList<>(List.of("job_id", "attempt"));
        params.forEach(p -> header.add("param." + p));
        metrics.forEach(m -> header.add("metric." + m));
        csv.row(header);
        stores.forEachJob(batchId, job -> {
            if (job.getStatus() == JobStatus.done) {
                List<String> row = new ArrayList<>(List.of(job.getJobId(), Integer.toString(job.getAttempt())));
                params.forEach(p -> row.add(job.getParams().getOrDefault(p, "")));
                metrics.forEach(m -> row.add(Optional.ofNullable(job.getMetrics().get(m)).map(String::valueOf)
                    .orElse("")));
                csv.row(row);
            }
        });
        csv.flush();
    }

    /** One line of results.jsonl. */
    record ResultRow(String jobId, int attempt, Map<String, String> params, Map<String, Double> metrics,
                     String result, String outputUri, String finishedAt) {
    }
}
