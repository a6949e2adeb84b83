package io.argus.query;

/** A small batch as a launcher posts it to {@code POST /api/events}: started, one job done, finished. */
public final class TestBatch {

    private TestBatch() {
    }

    public static String ndjson(String batchId) {
        return String.join("\n",
            "{\"type\":\"batch_start\",\"batch_id\":\"" + batchId + "\",\"source_project\":\"it\","
                + "\"experiment_type\":\"smoke\",\"n_total\":1,\"command\":\"java -jar argus.jar\"}",
            "{\"type\":\"job_start\",\"batch_id\":\"" + batchId + "\",\"job_id\":\"only\",\"attempt\":1}",
            "{\"type\":\"job_done\",\"batch_id\":\"" + batchId + "\",\"job_id\":\"only\",\"attempt\":1,"
                + "\"metrics\":{\"mae\":0.1}}",
            "{\"type\":\"batch_done\",\"batch_id\":\"" + batchId + "\",\"status\":\"done\"}");
    }
}
