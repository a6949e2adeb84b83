package io.argus.streams.app;

import io.argus.schemas.ArgusTopics;
import io.argus.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Argus topics that do not exist yet, with their configs; existing topics are left as they are. */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration DESCRIBE_DEADLINE = Duration.ofSeconds(30);
    private static final Duration DESCRIBE_BACKOFF = Duration.ofMillis(100);

    private TopicSetup() {
    }

    static void ensure(Admin admin, ArgusTopics topics, int partitions, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.all().stream()
                .filter(topic -> !existing.contains(topic.name()))
                .map(topic -> newTopic(topic, partitions, replicationFactor))
                .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the Argus topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the Argus topics", e);
        }
    }

    /** How many partitions {@code topic} has: the fold needs it to know which partition owns a batch. */
    static int partitions(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause().getMessage(),
                e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    /**
     * The topic's configuration. A topic created a moment ago may not be known to the broker that answers yet
     * (seen in CI: an empty "unknown topic" error): such retriable errors are asked again for a while.
     */
    private static Config describe(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        long deadline = System.nanoTime() + DESCRIBE_DEADLINE.toNanos();
        try {
            while (true) {
                try {
                    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("cannot read the configuration of " + topic + ": "
                            + e.getCause(), e.getCause());
                    }
                }
                TimeUnit.MILLISECONDS.sleep(DESCRIBE_BACKOFF.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the configuration of " + topic, e);
        }
    }

    /**
     * The event log is the journal: history and time travel read events back by offset, and a rebuild replays it
     * all. A log that compacts or expires records would lose history silently, so it is refused at start.
     */
    static void requireKeptForever(Admin admin, String topic) {
        Config config = describe(admin, topic);
        List<String> problems = new ArrayList<>();
        String cleanup = value(config, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        if (cleanup.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.add(TopicConfig.CLEANUP_POLICY_CONFIG + "=" + cleanup + " (must be delete)");
        }
        for (String retention : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
            String kept = value(config, retention, "-1");
            if (!kept.equals("-1")) {
                problems.add(retention + "=" + kept + " (must be -1)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Argus refuses to start: the event log " + topic
                + " must keep every record forever, because history, time travel and rebuilds read it back, but "
                + String.join(", ", problems) + ". Fix it with: kafka-configs.sh --alter --entity-type topics "
                + "--entity-name " + topic + " --add-config cleanup.policy=delete,retention.ms=-1,retention.bytes=-1");
        }
    }

    private static String value(Config config, String name, String fallback) {
        ConfigEntry entry = config.get(name);
        return entry == null || entry.value() == null ? fallback : entry.value();
    }

    private static NewTopic newTopic(Topic<?, ?> topic, int partitions, short replicationFactor) {
        return topic.newTopic(partitions, replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor));
    }
}
