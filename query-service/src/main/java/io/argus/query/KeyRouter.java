package io.argus.query;

import io.argus.streams.topology.ArgusTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance answers for a batch: the one whose Streams metadata says it holds the active copy of the batch's
 * partition. Hosts come from Streams metadata only, never from a request.
 */
final class KeyRouter {

    /** Where a batch's state lives right now. */
    sealed interface Route permits Local, Remote, Unavailable {
    }

    /** This instance holds the active copy of the batch's partition. */
    record Local(int partition) implements Route {
    }

    record Remote(HostInfo host) implements Route {
    }

    record Unavailable(String why) implements Route {
    }

    private final KafkaStreams streams;
    private final HostInfo self;

    KeyRouter(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    KafkaStreams streams() {
        return streams;
    }

    Route route(String batchId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(ArgusTopology.BATCHES_STORE, batchId, Serdes.String().serializer());
        } catch (StreamsNotStartedException | IllegalStateException e) {
            return new Unavailable("the fold is not running yet: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Unavailable("the owner of batch " + batchId + " is not known yet (rebalancing)");
        }
        HostInfo owner = metadata.activeHost();
        // Compare host AND port: several instances may share a host.
        return owner.equals(self) ? new Local(metadata.partition()) : new Remote(owner);
    }
}
