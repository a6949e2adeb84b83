package io.argus.bench.http;

/**
 * The flat JSON events the bench posts (docs/api.md, Event format), with the shapes of the in-JVM query bench:
 * ids are chosen by the caller so that every event of a run is unique and a re-post is recognisably the same.
 */
final class EventJson {

    private EventJson() {
    }

    static String batchStart(String batchId, String eventId, int jobs) {
        return "{\"type\":\"batch_start\",\"batch_id\":\"" + batchId + "\",\"event_id\":\"" + eventId
            + "\",\"source_project\":\"bench\",\"experiment_type\":\"bench\",\"n_total\":" + jobs
            + ",\"command\":\"bench\"}";
    }

    static String jobStart(String batchId, String eventId, int job) {
        return "{\"type\":\"job_start\",\"batch_id\":\"" + batchId + "\",\"event_id\":\"" + eventId
            + "\",\"job_id\":\"" + jobId(job) + "\",\"attempt\":1,\"params\":{\"model\":\"m" + job / 100
            + "\",\"dataset\":\"d" + job % 100 + "\"}}";
    }

    static String jobProgress(String batchId, String eventId, int job) {
        return "{\"type\":\"job_progress\",\"batch_id\":\"" + batchId + "\",\"event_id\":\"" + eventId
            + "\",\"job_id\":\"" + jobId(job) + "\",\"attempt\":1,\"step\":500,\"metrics\":{\"loss\":0.31}}";
    }

    static String jobDone(String batchId, String eventId, int job) {
        return "{\"type\":\"job_done\",\"batch_id\":\"" + batchId + "\",\"event_id\":\"" + eventId
            + "\",\"job_id\":\"" + jobId(job) + "\",\"attempt\":1,\"metrics\":{\"mae\":" + job / 1000.0
            + ",\"rmse\":" + job / 500.0 + "}}";
    }

    /** {@code dataset7/model42}: a slash, as real job ids have. */
    static String jobId(int job) {
        return "dataset" + job % 100 + "/model" + job / 100;
    }
}
