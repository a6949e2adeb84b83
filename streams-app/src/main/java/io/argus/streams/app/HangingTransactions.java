package io.argus.streams.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * Finds transactions that are open on a partition while no transaction coordinator tracks them: "hanging" (KIP-664).
 * Nothing ever closes one, and it holds the partition's last stable offset back, so every {@code read_committed}
 * reader stops there: the fold's event consumer, its changelog restore, its committed-offset fetch. Kafka's Admin
 * API can list them and write the abort marker that closes them; this is what {@code kafka-transactions.sh
 * find-hanging} and {@code abort} do, limited to Argus's own partitions.
 */
final class HangingTransactions {

    /** A transaction open on one partition, as the partition's leader tells it. */
    record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
                           long startOffset) {

        /** What an operator runs to close it by hand. */
        String abortCommand(String bootstrapServers) {
            return "kafka-transactions.sh --bootstrap-server " + bootstrapServers + " abort --topic "
                + partition.topic() + " --partition " + partition.partition() + " --start-offset " + startOffset;
        }
    }

    private final Admin admin;
    private final Predicate<String> ownTopic;
    private final String groupId;

    /**
     * @param ownTopic which topics are Argus's (its topics and the fold's changelogs)
     * @param groupId the fold's consumer group: only its partition of the offsets topic is looked at
     */
    HangingTransactions(Admin admin, Predicate<String> ownTopic, String groupId) {
        this.admin = admin;
        this.ownTopic = ownTopic;
        this.groupId = groupId;
    }

    /**
     * The open transactions that no coordinator tracks, at one look. A transaction that completes between the two
     * questions asked here (the partitions' producers, then the coordinators' transactions) shows up too: only one
     * seen again at a later look, with the same start offset, is really hanging ({@link HangingTransactionGuard}).
     */
    Set<OpenTransaction> untracked() throws ExecutionException, InterruptedException {
        List<OpenTransaction> open = openTransactions(partitionsInScope());
        if (open.isEmpty()) {
            return Set.of();
        }
        Set<Long> producerIds = new HashSet<>();
        open.forEach(transaction -> producerIds.add(transaction.producerId()));
        Map<Long, String> transactionalIds = new HashMap<>();
        for (TransactionListing listing : admin.listTransactions(
            new ListTransactionsOptions().filterProducerIds(producerIds)).all().get()) {
            transactionalIds.put(listing.producerId(), listing.transactionalId());
        }
        Map<String, TransactionDescription> descriptions = describe(Set.copyOf(transactionalIds.values()));
        Set<OpenTransaction> untracked = new HashSet<>();
        for (OpenTransaction transaction : open) {
            TransactionDescription description = descriptions.get(transactionalIds.get(transaction.producerId()));
            // A coordinator lists every partition of an ongoing transaction, and those still without their
            // marker while it commits or aborts: a partition it does not list will never get one.
            if (description == null || !description.topicPartitions().contains(transaction.partition())) {
                untracked.add(transaction);
            }
        }
        return untracked;
    }

    /** Writes the abort marker that closes the transaction on its partition. */
    void abort(OpenTransaction transaction) throws ExecutionException, InterruptedException {
        admin.abortTransaction(new AbortTransactionSpec(transaction.partition(), transaction.producerId(),
            (short) transaction.producerEpoch(), transaction.coordinatorEpoch())).all().get();
    }

    private List<TopicPartition> partitionsInScope() throws ExecutionException, InterruptedException {
        Set<String> topics = new HashSet<>();
        for (String topic : admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()) {
            if (ownTopic.test(topic) || topic.equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                topics.add(topic);
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
            if (topic.name().equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                // The group coordinator keeps a group's offsets in one partition of the offsets topic.
                partitions.add(new TopicPartition(topic.name(),
                    Utils.abs(groupId.hashCode()) % topic.partitions().size()));
            } else {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
        }
        return partitions;
    }

    private List<OpenTransaction> openTransactions(List<TopicPartition> partitions)
        throws ExecutionException, InterruptedException {
        List<OpenTransaction> open = new ArrayList<>();
        Map<TopicPartition, PartitionProducerState> producers = admin.describeProducers(partitions).all().get();
        producers.forEach((partition, state) -> state.activeProducers().forEach(producer ->
            producer.currentTransactionStartOffset().ifPresent(startOffset -> open.add(new OpenTransaction(
                partition, producer.producerId(), producer.producerEpoch(), producer.coordinatorEpoch().orElse(-1),
                startOffset)))));
        return open;
    }

    private Map<String, TransactionDescription> describe(Set<String> transactionalIds)
        throws ExecutionException, InterruptedException {
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        if (transactionalIds.isEmpty()) {
            return descriptions;
        }
        var result = admin.describeTransactions(transactionalIds);
        for (String id : transactionalIds) {
            try {
                descriptions.put(id, result.description(id).get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                    throw e;
                }
            }
        }
        return descriptions;
    }
}
