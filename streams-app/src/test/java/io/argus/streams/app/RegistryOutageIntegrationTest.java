package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.argus.registry.RegistryClientConfig;
import io.argus.schemas.avro.ArgusEvent;
import io.argus.streams.fold.TestEvents;
import io.argus.streams.state.BatchState;
import io.argus.streams.topology.ArgusTopology;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that stops answering while the fold needs a writer schema: the fold neither dead-letters the records
 * (they are not bad) nor loses its stream thread; it starts the task again from its last commit until the registry
 * answers, then folds everything.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class RegistryOutageIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String BATCH = "b-registry-outage";

    private final SharedTestStack stack;

    RegistryOutageIntegrationTest(SharedTestStack stack) {
        this.stack = stack;
    }

    @Test
    void theFoldWaitsOutARegistryThatStopsAnsweringAndLosesNothing(@TempDir Path stateDir) throws Exception {
        URI registry = URI.create(stack.registry().confluentApiUrl());
        String prefix = TestNames.unique("outage") + ".";
        try (StallingProxy proxy = new StallingProxy(registry.getPort())) {
            String throughProxy = registry.getScheme() + "://127.0.0.1:" + proxy.port() + registry.getPath();
            ArgusConfig config = FoldOnBroker.config(stack, prefix, TestNames.unique("argus-outage"), stateDir)
                .with(Map.of(RegistryClientConfig.URL, throughProxy,
                    RegistryClientConfig.CALL_TIMEOUT_MS, "1000",
                    RegistryClientConfig.MAX_RETRIES, "1"));
            TestEvents events = new TestEvents(BATCH);
            List<ArgusEvent> before = new ArrayList<>(List.of(events.batchStart(0, 10)));
            List<ArgusEvent> during = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                (i < 5 ? before : during).add(events.jobStart(1 + i, "job-" + i, 1));
                (i < 5 ? before : during).add(events.jobDone(20 + i, "job-" + i, 1));
            }
            try (KafkaProducer<String, ArgusEvent> launcher = FoldOnBroker.producer(stack)) {
                // A first start, nothing committed yet, and a second one after commits: each with no schema read
                // yet, while the registry does not answer.
                waitOutTheOutage(config, proxy, launcher, before, 5);
                waitOutTheOutage(config, proxy, launcher, during, 10);
            }
        }
    }

    private static void waitOutTheOutage(ArgusConfig config, StallingProxy proxy,
                                         KafkaProducer<String, ArgusEvent> launcher, List<ArgusEvent> events,
                                         int doneAfter) throws Exception {
        proxy.stall(true);
        try (ArgusStreams app = ArgusStreams.start(config)) {
            FoldOnBroker.send(launcher, app.topics().events().name(), events);
            await().atMost(DEADLINE).until(() -> app.counters().registryRetries() >= 2);
            List<String> threads = threadNames(app.streams());

            proxy.stall(false);
            await().atMost(DEADLINE).ignoreExceptions().until(() -> batch(app.streams()).getJobsDone() == doneAfter);
            assertThat(app.counters().deadLetters()).as("nothing dead-lettered").isZero();
            assertThat(threadNames(app.streams())).as("no stream thread died").isEqualTo(threads)
                .allMatch(name -> name.endsWith("StreamThread-1"));
            System.out.printf("registry outage: %d task restarts while the registry did not answer%n",
                app.counters().registryRetries());
        }
    }

    private static List<String> threadNames(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).sorted().toList();
    }

    private static BatchState batch(KafkaStreams streams) {
        BatchState batch = streams.store(StoreQueryParameters.fromNameAndType(ArgusTopology.BATCHES_STORE,
            QueryableStoreTypes.<String, BatchState>keyValueStore())).get(BATCH);
        if (batch == null) {
            throw new IllegalStateException("not folded yet");
        }
        return batch;
    }
}
