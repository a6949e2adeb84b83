package io.argus.producer;

import io.argus.schemas.ArgusTopics;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A topic, a spool root and builder settings of one test, isolated from every other test on the shared stack. */
final class TestReporters {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    final SharedTestStack stack;
    final String topicsPrefix;
    final Path spoolRoot;

    TestReporters(SharedTestStack stack, String name) {
        this(stack, TestNames.unique(name) + ".", true);
    }

    /** @param createTopic false when a query service under test creates the topics itself */
    TestReporters(SharedTestStack stack, String topicsPrefix, boolean createTopic) {
        this.stack = stack;
        this.topicsPrefix = topicsPrefix;
        try {
            this.spoolRoot = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (createTopic) {
            stack.kafka().createTopic(eventsTopic(), 3, Map.of());
        }
    }

    String eventsTopic() {
        return topicsPrefix + ArgusTopics.EVENTS;
    }

    EventLog log() {
        return new EventLog(stack.kafka().bootstrapServers(), stack.registry().confluentApiUrl(), eventsTopic());
    }

    /** A Reporter of a 3-job batch on the shared stack, with heartbeats out of the way. */
    ReporterBuilder builder(String batchId) {
        return Reporter.builder()
            .sourceProject("forecasting")
            .experimentType("benchmark")
            .nTotal(3)
            .batchId(batchId)
            .gitSha(SHA)
            .environment(Map.of())
            .config(ReporterConfig.BOOTSTRAP_SERVERS, stack.kafka().bootstrapServers())
            .config(ReporterConfig.REGISTRY_URL, stack.registry().confluentApiUrl())
            .config(ReporterConfig.TOPICS_PREFIX, topicsPrefix)
            .config(ReporterConfig.SPOOL_DIR, spoolRoot.toString())
            .config(ReporterConfig.HEARTBEAT_INTERVAL_MS, "3600000");
    }
}
