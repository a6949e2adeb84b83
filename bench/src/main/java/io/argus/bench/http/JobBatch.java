package io.argus.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.bench.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A batch of N finished jobs, put into a running service through its own ingest: a batch_start, then job_start
 * and job_done per job, as NDJSON of at most 1000 events a request (the ingest limit); then waits until the batch
 * view counts every job done.
 */
final class JobBatch {

    /** The ingest limit per request (docs/api.md, POST /api/events). */
    static final int EVENTS_PER_REQUEST = 1000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String batchId;
    private final int jobs;

    JobBatch(String baseUrl, String batchId, int jobs) {
        this.baseUrl = baseUrl;
        this.batchId = batchId;
        this.jobs = jobs;
    }

    /** {@code 1 + 2 N}: the batch_start and two events per job. */
    int events() {
        return 1 + 2 * jobs;
    }

    /** Posts every event; each POST returns once Kafka acknowledged its events. */
    void post() throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        int inBody = 0;
        for (int event = 0; event < events(); event++) {
            body.append(event(event)).append('\n');
            if (++inBody == EVENTS_PER_REQUEST || event == events() - 1) {
                postBody(body.toString());
                body.setLength(0);
                inBody = 0;
            }
        }
    }

    /** Waits until the view shows all N jobs done (the fold has applied every event). */
    void awaitFolded(Duration timeout) {
        Waits.until("batch " + batchId + " to show " + jobs + " jobs done", timeout, 100, () -> doneJobs() == jobs);
    }

    private String event(int index) {
        if (index == 0) {
            return EventJson.batchStart(batchId, batchId + "-start", jobs);
        }
        int job = (index - 1) / 2;
        return (index - 1) % 2 == 0 ? EventJson.jobStart(batchId, batchId + "-s" + job, job)
            : EventJson.jobDone(batchId, batchId + "-d" + job, job);
    }

    private void postBody(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/events")).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ingest answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Jobs done in the view; 0 while the batch is not known yet (404) or the fold is rebalancing (503). */
    private long doneJobs() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/batches/" + batchId))
            .timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the batch view answered " + response.statusCode() + ": "
                + response.body());
        }
        JsonNode view = JSON.readTree(response.body());
        return view.path("job_counts").path("done").asLong();
    }
}
