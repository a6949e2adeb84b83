package io.argus.streams.app;

import io.argus.schemas.ArgusTopics;
import io.argus.schemas.Topic;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Argus topics that do not exist yet, with their configs; existing topics are left as they are. */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

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

    private static NewTopic newTopic(Topic<?, ?> topic, int partitions, short replicationFactor) {
        return topic.newTopic(partitions, replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor));
    }
}
