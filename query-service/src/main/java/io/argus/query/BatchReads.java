package io.argus.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.BatchAggregate;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.state.JournalEntry;
import io.argus.streams.view.BatchView;
import io.argus.streams.view.JobView;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * from a prefix scan, so a batch of 100,000 jobs is never held in memory.
 */
final class BatchReads {

    private final LocalStores stores;
    private final Deserializer<ArgusEvent> events;
    private final Clock clock;
    private final Duration stallTimeout;

    BatchReads(LocalStores stores, Deserializer<ArgusEvent> events, Clock clock, Duration stallTimeout) {
        this.stores = stores;
        this.events = events;
        this.clock = clock;
        this.stallTimeout = stallTimeout;
    }

    /** The same reads, against one partition's stores: the partition that owns the batch asked about. */
    BatchReads at(int partition) {
        return new BatchReads(stores.at(partition), events, clock, stallTimeout);
    }

    BatchState batch(String batchId) {
        return stores.batch(batchId).orElseThrow(() -> ApiException.notFound("no batch " + batchId));
    }

    BatchAnswer view(String batchId) {
        return BatchAnswer.of(batch(batchId), clock.instant(), stallTimeout);
    }

    /** The batch as it stood at {@code asOf}: its journal up to that event time, folded again. */
    BatchAnswer viewAsOf(String batchId, Instant asOf) {
        batch(batchId);
        BatchAggregate aggregate = new BatchAggregate();
        stores.forEachJournalEntry(batchId, entry -> {
            if (entry.getTs() <= asOf.toEpochMilli()) {
                aggregate.apply(decode(entry));
            }
        });
        BatchState then = aggregate.batch()
            .orElseThrow(() -> ApiException.notFound("batch " + batchId + " had no events at " + asOf));
        return BatchAnswer.of(then, asOf, stallTimeout);
    }

    /** This instance's batches, filtered. */
    List<BatchAnswer> localBatches(Predicate<BatchState> filter) {
        List<BatchAnswer> answers = new ArrayList<>();
        Instant now = clock.instant();
        stores.forEachBatch(batch -> {
            if (filter.test(batch)) {
                answers.add(BatchAnswer.of(batch, now, stallTimeout));
            }
        });
        return answers;
    }

    JobView job(String batchId, String jobId) {
        batch(batchId);
        return JobView.detail(stores.job(batchId, jobId)
            .orElseThrow(() -> ApiException.notFound("batch " + batchId + " has no job " + jobId)));
    }

    Optional<JobState> jobState(String batchId, String jobId) {
        return stores.job(batchId, jobId);
    }

    /** Writes the jobs as a JSON array, one at a time. */
    void writeJobs(String batchId, Optional<JobStatus> status, OutputStream out) {
        batch(batchId);
        ObjectMapper mapper = ViewJson.mapper();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartArray();
            stores.forEachJob(batchId, job -> {
                if (status.isEmpty() || job.getStatus() == status.get()) {
                    write(json, JobView.summary(job));
                }
            });
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page of the journal, oldest first, starting after the entry numbered {@code from}. */
    List<Map<String, Object>> events(String batchId, long from, int limit) {
        batch(batchId);
        List<Map<String, Object>> page = new ArrayList<>();
        long[] index = {0};
        stores.forEachJournalEntry(batchId, entry -> {
            long position = index[0]++;
            if (position >= from && page.size() < limit) {
                Map<String, Object> json = EventJson.toMap(decode(entry));
                json.put("effect", entry.getEffect());
                json.put("partition", entry.getPartition());
                json.put("offset", entry.getOffset());
                json.put("position", position);
                page.add(json);
            }
        });
        return page;
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

    private ArgusEvent decode(JournalEntry entry) {
        ByteBuffer bytes = entry.getEvent();
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return events.deserialize(null, copy);
    }

    private static void write(JsonGenerator json, Object value) {
        try {
            json.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
