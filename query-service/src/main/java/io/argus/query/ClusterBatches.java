package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /api/batches} across instances: this instance's share of the page plus every other instance's, asked
 * over {@code /api/internal/local-batches} at the hosts the Streams metadata names (each answers at most the page's
 * size plus one, see {@link BatchList.FirstAfter}). While any instance is rebalancing the answer
 * is 503: a list that misses or doubles the batches of a moving partition would be wrong.
 */
final class ClusterBatches {

    static final String LOCAL_PATH = "/api/internal/local-batches";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param connectTimeout how long connecting to another instance may take ({@code argus.peer.connect.timeout.ms})
     * @param timeout how long each other instance may take to answer ({@code argus.cluster.list.timeout.ms})
     */
    ClusterBatches(KafkaStreams streams, HostInfo self, Duration connectTimeout, Duration timeout) {
        this.streams = streams;
        this.self = self;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.timeout = timeout;
    }

    List<JsonNode> all(List<JsonNode> local, String rawQuery, Optional<String> authorization) {
        requireRunning(streams);
        List<JsonNode> all = new ArrayList<>(local);
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            HostInfo host = instance.hostInfo();
            if (!host.equals(self)) {
                all.addAll(fetch(host, rawQuery, authorization));
            }
        }
        return all;
    }

    static void requireRunning(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw ApiException.unavailable("the fold is " + streams.state() + ", not RUNNING");
        }
    }

    private List<JsonNode> fetch(HostInfo host, String rawQuery, Optional<String> authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                + LOCAL_PATH + (rawQuery == null ? "" : "?" + rawQuery)))
            .timeout(timeout)
            .header(Forwarder.FORWARDED_HEADER, self.host() + ":" + self.port())
            .GET();
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " answered "
                    + response.statusCode() + " for its batches");
            }
            List<JsonNode> batches = new ArrayList<>();
            ViewJson.mapper().readTree(response.body()).forEach(batches::add);
            return batches;
        } catch (IOException e) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " did not answer: "
                + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking other instances");
        }
    }
}
