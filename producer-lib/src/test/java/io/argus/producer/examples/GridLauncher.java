package io.argus.producer.examples;

import io.argus.producer.BatchIds;
import io.argus.producer.JobRunner;
import io.argus.producer.JobScope;
import io.argus.producer.Reporter;
import io.argus.producer.ReporterBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An example launcher: a 10 x 12 grid (10 datasets, 12 models, 120 jobs) that reports to Argus, can crash on
 * purpose, and when run again resumes with the jobs that are not done.
 * <pre>
 * ARGUS_KAFKA_BOOTSTRAP=127.0.0.1:9092 ARGUS_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 \
 * ARGUS_QUERY_URL=http://127.0.0.1:8080 java -cp ... io.argus.producer.examples.GridLauncher --crash-after 47
 * # ... the process dies after 47 jobs; the same command without --crash-after runs the other 73.
 * </pre>
 * Arguments: {@code --experiment NAME} (default grid-10x12), {@code --crash-after N} (halt the JVM after N jobs of
 * this run, as a crash would: no close, no batch_done), {@code --work-ms MS} (simulated work per job, default 50).
 * One job, {@value #FLAKY_JOB}, fails its first attempt to show a restart decision.
 */
public final class GridLauncher {

    public static final String PROJECT = "argus-examples";
    public static final String FLAKY_JOB = "solar/tft";
    public static final List<String> DATASETS = List.of("dam", "solar", "wind", "traffic", "ett", "weather",
        "exchange", "ili", "m4", "tourism");
    public static final List<String> MODELS = List.of("lstm", "gru", "tcn", "tft", "nbeats", "nhits", "patchtst",
        "dlinear", "informer", "autoformer", "deepar", "arima");

    private GridLauncher() {
    }

    public static void main(String[] args) {
        String experiment = option(args, "--experiment", "grid-10x12");
        int crashAfter = Integer.parseInt(option(args, "--crash-after", "-1"));
        Duration work = Duration.ofMillis(Long.parseLong(option(args, "--work-ms", "50")));
        run(Reporter.builder(), experiment, crashAfter, work, true);
    }

    /** The plan in the order it runs: dataset by dataset. */
    public static List<String> plan() {
        List<String> plan = new ArrayList<>();
        DATASETS.forEach(dataset -> MODELS.forEach(model -> plan.add(dataset + "/" + model)));
        return plan;
    }

    /**
     * Runs what is left of the plan; the builder may carry settings (tests), else the environment's ARGUS_* apply.
     *
     * @param printEachJob print a line per job (a restarted or stopped job is always printed)
     * @return the jobs this run found left to do
     */
    public static List<String> run(ReporterBuilder builder, String experiment, int crashAfter, Duration work,
                                   boolean printEachJob) {
        String batchId = BatchIds.derive(PROJECT, experiment);
        try (Reporter reporter = builder.sourceProject(PROJECT).experimentType("benchmark").nTotal(plan().size())
            .batchId(batchId).maxRestarts(2).label("grid", "10x12").open()) {
            List<String> todo = reporter.remaining(plan());
            System.out.println("batch " + batchId + ": " + todo.size() + " of " + plan().size() + " jobs to run");
            JobRunner runner = new JobRunner(reporter, Duration.ofMillis(500));
            int finished = 0;
            for (String jobId : todo) {
                JobRunner.Result result = runner.run(jobId, params(jobId), job -> train(job, work));
                if (printEachJob || result.attempt() > 1 || result.status() != JobRunner.Status.DONE) {
                    System.out.println(result.status() + " " + jobId + " attempt " + result.attempt());
                }
                if (++finished == crashAfter) {
                    System.out.println("crashing on purpose after " + finished + " jobs");
                    Runtime.getRuntime().halt(137);
                }
            }
            return todo;
        }
    }

    private static Map<String, String> params(String jobId) {
        String[] parts = jobId.split("/");
        return Map.of("dataset", parts[0], "model", parts[1], "horizon", "24");
    }

    /** Stands in for training: a few steps with progress, then the score. */
    private static void train(JobScope job, Duration work) throws InterruptedException {
        if (job.jobId().equals(FLAKY_JOB) && job.attempt() == 1) {
            throw new IllegalStateException("CUDA out of memory (simulated, first attempt only)");
        }
        double loss = 1.0;
        for (int step = 1; step <= 3; step++) {
            TimeUnit.MILLISECONDS.sleep(work.toMillis() / 3);
            loss /= 2;
            job.progress(step, Map.of("loss", loss));
        }
        double mae = Math.abs(job.jobId().hashCode() % 1000) / 1000.0;
        job.done(Map.of("mae", mae, "loss", loss), "{\"mae\":" + mae + "}");
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
