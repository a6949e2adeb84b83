package io.argus.streams.topology;

import io.argus.registry.SchemaRegistryException;
import io.argus.schemas.EventType;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.wire.InvalidEventBytesException;
import io.argus.streams.fold.BatchFold;
import io.argus.streams.fold.Effect;
import io.argus.streams.fold.EventValidator;
import io.argus.streams.fold.EventValidator.Violation;
import io.argus.streams.fold.FoldResult;
import io.argus.streams.fold.JobIds;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.JobState;
import io.argus.streams.state.LoggedType;
import io.argus.streams.view.BatchView;
import io.argus.streams.view.ViewJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one record of the event log: decodes and validates it (dead-lettering what fails), folds it into the batch
 * and job records, appends it to the batch's history index, and marks the batch's view as due.
 *
 * <p>An event costs a decode, the pure fold and a few map operations: the records are objects in
 * {@link WriteBackStore}s, encoded and written once per commit. No set of seen ids is kept: the records make a
 * re-sent event a {@link Effect#DUPLICATE}, which changes nothing and takes no place in the history. A registry that
 * does not answer is not the record's fault: the task starts again from its last commit, so the record is retried
 * rather than dead-lettered.
 *
 * <p>Views are published by a wall-clock punctuation, once per interval for each batch that changed, not once per
 * event: a running batch changes with nearly every event, and its consumers want its latest state, not every step.
 * A batch whose view is due is kept in the {@code pending-views} store, committed with the change itself, so a
 * crash between that commit and the publication only delays the view: the restarted task publishes it.
 *
 * <p>An event folds only in the task of the partition that owns its batch ({@link EventPlacement}): there the query
 * service looks for it. A decodable event found on another partition (a librdkafka client's default partitioner puts
 * it there) is not folded; its record, unchanged but for a {@value EventPlacement#REROUTED_FROM} header naming where it was, is
 * written to its owner partition, in this task's transaction, and folded when it arrives there. A client sends all
 * of a batch's events with one partitioner, so they land on one partition in order and their copies keep that
 * order. The history indexes the copy, which is the record {@code /events} reads.
 */
final class FoldProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(FoldProcessor.class);

    private final Deserializer<ArgusEvent> events;
    private final FoldCounters counters;
    private final BatchChanges changes;
    private final Duration viewInterval;
    private final EventPlacement placement;
    private final ReroutedProducers warned;
    private ProcessorContext<String, byte[]> context;
    private WriteBackStore<BatchState> batches;
    private WriteBackStore<JobState> jobs;
    private HistoryIndex history;
    private KeyValueStore<String, Long> pendingViews;
    /** What {@code pending-views} holds: the batches whose view is due, with the time of their latest change. */
    private final Map<String, Long> due = new LinkedHashMap<>();

    FoldProcessor(Deserializer<ArgusEvent> events, FoldCounters counters, BatchChanges changes,
                  Duration viewInterval, EventPlacement placement, ReroutedProducers warned) {
        this.events = events;
        this.counters = counters;
        this.changes = changes;
        this.viewInterval = viewInterval;
        this.placement = placement;
        this.warned = warned;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.batches = WriteBackStore.behind(context.getStateStore(ArgusTopology.BATCHES_STORE));
        this.jobs = WriteBackStore.behind(context.getStateStore(ArgusTopology.JOBS_STORE));
        this.history = new HistoryIndex(WriteBackStore.behind(context.getStateStore(ArgusTopology.HISTORY_STORE)));
        this.pendingViews = context.getStateStore(ArgusTopology.PENDING_VIEWS_STORE);
        // Init runs after restoration: what was due when the last owner stopped is due now.
        due.clear();
        try (KeyValueIterator<String, Long> pending = pendingViews.all()) {
            pending.forEachRemaining(entry -> due.put(entry.key, entry.value));
        }
        context.schedule(viewInterval, PunctuationType.WALL_CLOCK_TIME, now -> publishDueViews());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a record from the event log without its metadata"));
        if (record.value() == null) {
            deadLetter(record, source, DeadLetters.CATEGORY_BYTES, "NULL_VALUE", "a tombstone in the event log");
            return;
        }
        ArgusEvent event;
        try {
            event = events.deserialize(source.topic(), record.headers(), record.value());
        } catch (InvalidEventBytesException e) {
            deadLetter(record, source, DeadLetters.CATEGORY_BYTES, e.reason().name(), e.getMessage());
            return;
        } catch (SchemaRegistryException e) {
            throw registryUnavailable(source, e);
        }
        if (record.key() != null && placement.owner(record.key()) != source.partition()) {
            // Before validation: the owner validates, so every misplaced event has its copy whatever the rules say.
            reroute(event, record, source);
            return;
        }
        Optional<Violation> violation = EventValidator.validate(event);
        if (violation.isEmpty() && !event.getBatchId().equals(record.key())) {
            // Another key may put the batch's events on several partitions, and then their order is lost.
            violation = Optional.of(new Violation("key", "the record key must be the batch_id '"
                + event.getBatchId() + "', got " + (record.key() == null ? "none" : "'" + record.key() + "'")));
        }
        if (violation.isPresent()) {
            deadLetter(record, source, DeadLetters.CATEGORY_INVALID, violation.get().field(),
                violation.get().toString());
            return;
        }
        fold(event, record, source);
    }

    /**
     * The registry did not answer for the record's writer schema (an unknown id is a bad record, handled above). The
     * record is not bad, so it is not dead-lettered, and the thread must not die for it either. The thread gives up
     * its tasks as if they had migrated, the path Kafka Streams takes for a fenced producer: their transaction is
     * aborted, they rejoin and start again from their last commit, and meet the record again. (A corrupted-task
     * exception, the lighter path, lost the input position of a task revived during the rebalance it triggers, so
     * the fold stalled and would have skipped the records.) The registry client's deadline is shorter than the
     * transaction timeout ({@code ArgusStreams}), so the transaction is still open when this is thrown.
     */
    private TaskMigratedException registryUnavailable(RecordMetadata source, SchemaRegistryException e) {
        LOG.warn("The schema registry did not answer for the record of {}-{} at offset {} ({}); the stream thread's "
            + "tasks start again from their last commit", source.topic(), source.partition(), source.offset(),
            e.getMessage());
        counters.registryUnavailable();
        return new TaskMigratedException("the schema registry did not answer for the record of " + source.topic()
            + "-" + source.partition() + " at offset " + source.offset(), e);
    }

    /** Copies a misplaced event to the partition that owns its batch, unless the log holds its copy already. */
    private void reroute(ArgusEvent event, Record<String, byte[]> record, RecordMetadata source) {
        if (placement.alreadyCopied(source.partition(), source.offset())) {
            counters.passedOver();
            return;
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(EventPlacement.REROUTED_FROM);
        headers.add(EventPlacement.REROUTED_FROM,
            (source.partition() + ":" + source.offset()).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
            ArgusTopology.REROUTE_SINK);
        counters.rerouted();
        if (warned.firstTime(event.getProducer())) {
            LOG.warn("Producer '{}' wrote batch '{}' to partition {} of {}, which does not own it (partition {} does): "
                    + "re-routing its misplaced events there. Set partitioner=murmur2_random in librdkafka-based "
                    + "clients (docs/clients.md). Logged once per producer.", event.getProducer(), record.key(),
                source.partition(), source.topic(), placement.owner(record.key()));
        }
    }

    private void fold(ArgusEvent event, Record<String, byte[]> record, RecordMetadata source) {
        String batchId = event.getBatchId();
        BatchState before = batches.load(batchId);
        Optional<String> jobKey = JobIds.of(event).map(jobId -> StoreKeys.job(batchId, jobId));
        JobState job = jobKey.map(jobs::load).orElse(null);

        FoldResult result = BatchFold.apply(before, job, event);

        if (result.jobChanged()) {
            jobs.put(jobKey.orElseThrow(), result.job().orElseThrow());
        }
        if (result.effect() != Effect.DUPLICATE) {
            history.append(batchId, result.batch().getHistorySize() - 1, source.partition(), source.offset(),
                LoggedType.valueOf(EventType.ofPayload(event.getPayload()).orElseThrow().wireName()),
                result.effect(), event.getTs().toEpochMilli());
        }
        if (result.batchChanged()) {
            batches.put(batchId, result.batch());
            if (due.put(batchId, record.timestamp()) == null) {
                pendingViews.put(batchId, record.timestamp());
            }
        }
        if (result.batchChanged() || result.jobChanged()) {
            changes.changed(batchId);
        }
        counters.folded(result.effect());
    }

    /** The current view of every batch that changed since the last publication, stamped with its latest change. */
    private void publishDueViews() {
        due.forEach((batchId, changedAt) -> {
            BatchState batch = batches.load(batchId);
            if (batch != null) {
                byte[] view = ViewJson.write(BatchView.of(batch)).getBytes(StandardCharsets.UTF_8);
                context.forward(new Record<>(batchId, view, changedAt, new RecordHeaders()),
                    ArgusTopology.BATCH_VIEWS_SINK);
            }
            pendingViews.delete(batchId);
        });
        due.clear();
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata source, String category, String reason,
                            String detail) {
        context.forward(DeadLetters.of(record, source, category, reason, detail), ArgusTopology.DEAD_LETTER_SINK);
        counters.deadLettered(reason);
    }
}
