package io.argus.streams.topology;

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
import io.argus.streams.state.JournalEntry;
import io.argus.streams.view.BatchView;
import io.argus.streams.view.ViewJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads one record of the event log: decodes and validates it (dead-lettering what fails), drops an event whose id
 * was applied before, folds the rest into the batch and job stores, journals it, and publishes the batch's new view.
 *
 * <p>Reads and writes at most one batch record and one job record per event. A registry that cannot be reached is
 * not the record's fault: that exception propagates, so the record is retried rather than dead-lettered.
 */
final class FoldProcessor implements Processor<String, byte[], String, byte[]> {

    private final Deserializer<ArgusEvent> events;
    private final FoldCounters counters;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, BatchState> batches;
    private KeyValueStore<String, JobState> jobs;
    private KeyValueStore<String, JournalEntry> journal;
    private KeyValueStore<String, Long> eventIds;

    FoldProcessor(Deserializer<ArgusEvent> events, FoldCounters counters) {
        this.events = events;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.batches = context.getStateStore(ArgusTopology.BATCHES_STORE);
        this.jobs = context.getStateStore(ArgusTopology.JOBS_STORE);
        this.journal = context.getStateStore(ArgusTopology.JOURNAL_STORE);
        this.eventIds = context.getStateStore(ArgusTopology.EVENT_IDS_STORE);
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

    private void fold(ArgusEvent event, Record<String, byte[]> record, RecordMetadata source) {
        String batchId = event.getBatchId();
        String idKey = StoreKeys.eventId(batchId, event.getEventId());
        if (eventIds.get(idKey) != null) {
            counters.folded(Effect.DUPLICATE);
            return;
        }
        BatchState before = batches.get(batchId);
        Optional<String> jobKey = JobIds.of(event).map(jobId -> StoreKeys.job(batchId, jobId));
        JobState job = jobKey.map(jobs::get).orElse(null);

        FoldResult result = BatchFold.apply(before, job, event);

        result.job().filter(next -> !next.equals(job)).ifPresent(next -> jobs.put(jobKey.orElseThrow(), next));
        eventIds.put(idKey, source.offset());
        journal.put(StoreKeys.journal(batchId, source.partition(), source.offset()),
            journalEntry(event, record, source, result.effect()));
        if (!result.batch().equals(before)) {
            batches.put(batchId, result.batch());
            byte[] view = ViewJson.write(BatchView.of(result.batch())).getBytes(StandardCharsets.UTF_8);
            context.forward(new Record<>(batchId, view, record.timestamp(), new RecordHeaders()),
                ArgusTopology.BATCH_VIEWS_SINK);
        }
        counters.folded(result.effect());
    }

    private static JournalEntry journalEntry(ArgusEvent event, Record<String, byte[]> record, RecordMetadata source,
                                             Effect effect) {
        return new JournalEntry(source.partition(), source.offset(), event.getEventId(),
            EventType.ofPayload(event.getPayload()).orElseThrow().wireName(), event.getTs().toEpochMilli(),
            effect.name(), ByteBuffer.wrap(record.value()));
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata source, String category, String reason,
                            String detail) {
        context.forward(DeadLetters.of(record, source, category, reason, detail), ArgusTopology.DEAD_LETTER_SINK);
        counters.deadLettered(reason);
    }
}
