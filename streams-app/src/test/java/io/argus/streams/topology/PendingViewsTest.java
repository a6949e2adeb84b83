package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.streams.fold.BatchFold;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.view.ViewJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A view that was due when the last owner of the task stopped (its change committed, its view not yet published)
 * is published by the next owner: the {@code pending-views} store is what survives the crash.
 */
class PendingViewsTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    @Test
    void aViewDueAtTheLastStopIsPublishedByTheNextOwnersFirstPunctuation() throws Exception {
        MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
        KeyValueStore<String, BatchState> batches = writeBack(context, ArgusTopology.BATCHES_STORE,
            new StateSerde<>(BatchState::new));
        KeyValueStore<String, Long> pending = register(context, Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ArgusTopology.PENDING_VIEWS_STORE), Serdes.String(), Serdes.Long())
            .withLoggingDisabled().build());
        writeBack(context, ArgusTopology.JOBS_STORE, new StateSerde<>(io.argus.streams.state.JobState::new));
        writeBack(context, ArgusTopology.HISTORY_STORE,
            new StateSerde<>(io.argus.streams.state.HistoryChunk::new));
        // What the crashed owner committed: the batch changed, its view still due.
        TestEvents events = new TestEvents("b-crashed");
        BatchState started = BatchFold.apply(null, null, events.batchStart(0, 12)).batch();
        batches.put("b-crashed", started);
        pending.put("b-crashed", TestEvents.at(0));

        FoldProcessor processor = new FoldProcessor((topic, bytes) -> {
            throw new AssertionError("no record is processed here");
        }, new FoldCounters(), new BatchChanges(), INTERVAL, EventPlacement.rerouteAll(1), new ReroutedProducers());
        processor.init(context);
        assertThat(context.forwarded()).as("nothing before the punctuation").isEmpty();

        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        assertThat(punctuators).singleElement().satisfies(p -> {
            assertThat(p.getInterval()).isEqualTo(INTERVAL);
            assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        });
        punctuators.get(0).getPunctuator().punctuate(TestEvents.at(1));

        List<CapturedForward<? extends String, ? extends byte[]>> forwarded = context.forwarded();
        assertThat(forwarded).singleElement().satisfies(f -> {
            assertThat(f.childName()).contains(ArgusTopology.BATCH_VIEWS_SINK);
            assertThat(f.record().key()).isEqualTo("b-crashed");
            assertThat(f.record().timestamp()).isEqualTo(TestEvents.at(0));
            JsonNode view = ViewJson.mapper().readTree(new String(f.record().value(), StandardCharsets.UTF_8));
            assertThat(view.path("status").asText()).isEqualTo("running");
            assertThat(view.path("n_total").asInt()).isEqualTo(12);
        });
        assertThat(pending.get("b-crashed")).as("published, so no longer due").isNull();

        context.resetForwards();
        punctuators.get(0).getPunctuator().punctuate(TestEvents.at(2));
        assertThat(context.forwarded()).as("published once").isEmpty();
    }

    private static <V extends org.apache.avro.specific.SpecificRecordBase> KeyValueStore<String, V> writeBack(
        MockProcessorContext<String, byte[]> context, String name, StateSerde<V> values) {
        return register(context, new WriteBackStore<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build(), values, new MemoryBudget(1 << 20)));
    }

    private static <S extends KeyValueStore<String, V>, V> S register(MockProcessorContext<String, byte[]> context,
                                                                     S store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
