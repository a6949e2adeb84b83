package io.argus.bench.latency;

import io.argus.bench.ServiceHttp;
import java.util.Optional;

/** Reads batch and job views from the query service, as the dashboard does. */
final class JobViews {

    private final ServiceHttp http;

    JobViews(ServiceHttp http) {
        this.http = http;
    }

    boolean batchVisible(String batchId) {
        return http.view("/api/batches/" + ServiceHttp.segment(batchId)).isPresent();
    }

    /** The job's {@code status}, empty while the service does not show the job yet. */
    Optional<String> jobStatus(String batchId, String jobId) {
        return http.view("/api/batches/" + ServiceHttp.segment(batchId) + "/jobs/" + ServiceHttp.segment(jobId))
            .map(view -> view.path("status").asText());
    }
}
