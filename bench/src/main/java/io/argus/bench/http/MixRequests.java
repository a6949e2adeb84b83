package io.argus.bench.http;

import io.argus.producer.FlatJson;
import io.argus.schemas.avro.ArgusEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An event log as the end-to-end load posts it, all built before the clock starts: whole batches to each sender
 * (the i-th batch to sender i mod C), as launchers each post their own batch, so every batch's events reach the
 * log in their order; each sender's events in log order as NDJSON bodies of up to B events, each event the flat
 * JSON the Reporter SDK posts.
 */
final class MixRequests {

    private MixRequests() {
    }

    /** One sender's bodies per element, in the order to post them. */
    static List<Iterator<PostBody>> split(List<ArgusEvent> events, int senders, int eventsPerRequest) {
        List<Bodies> bodies = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            bodies.add(new Bodies(eventsPerRequest));
        }
        Map<String, Bodies> senderOfBatch = new HashMap<>();
        for (ArgusEvent event : events) {
            Bodies sender = senderOfBatch.get(event.getBatchId());
            if (sender == null) {
                sender = bodies.get(senderOfBatch.size() % senders);
                senderOfBatch.put(event.getBatchId(), sender);
            }
            sender.add(FlatJson.line(event));
        }
        return bodies.stream().map(Bodies::iterator).toList();
    }

    /** One sender's bodies while they are built. */
    private static final class Bodies {
        private final int eventsPerRequest;
        private final List<PostBody> built = new ArrayList<>();
        private final StringBuilder open = new StringBuilder();
        private int inOpen;

        Bodies(int eventsPerRequest) {
            this.eventsPerRequest = eventsPerRequest;
        }

        void add(String json) {
            open.append(json).append('\n');
            if (++inOpen == eventsPerRequest) {
                close();
            }
        }

        Iterator<PostBody> iterator() {
            if (inOpen > 0) {
                close();
            }
            return built.iterator();
        }

        private void close() {
            built.add(PostBody.of(open.toString(), inOpen));
            open.setLength(0);
            inOpen = 0;
        }
    }
}
