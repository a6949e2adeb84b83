package io.argus.query.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A make-believe launcher that publishes, through {@code POST /api/events}, a few batches that together show every
 * state on the dashboard: a sweep of 12 jobs that crashed half-way and was resumed (with a job that failed on two
 * ranks and succeeded on its retry), one running, one stalled, one stopped by a user and one failed.
 *
 * <p>Event ids are fixed ({@code <batch>#<n>}), so publishing again (a second {@code --demo} start on the same
 * data) changes nothing: the fold drops events whose id it has applied. Times are relative to the first run.
 */
public final class DemoLauncher {

    public static final String SWEEP = "demo-forecast-sweep";
    public static final String RUNNING = "demo-llm-finetune";
    public static final String STALLED = "demo-nightly-eval";
    public static final String STOPPED = "demo-dropout-ablation";
    public static final String FAILED = "demo-lr-search";

    static final List<String> DATASETS = List.of("dam", "solar", "traffic");
    static final List<String> MODELS = List.of("lstm", "tcn", "transformer", "xgboost");
    /** The sweep's job that fails on two ranks in its first attempt and is restarted. */
    static final String FLAKY_JOB = "dam/transformer";
    /** The sweep's job that was running when the first launch crashed. */
    static final String INTERRUPTED_JOB = "solar/transformer";

    private static final String PRODUCER = "argus-demo";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI eventsUri;
    private final Optional<String> apiToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param baseUrl the running service, e.g. {@code http://127.0.0.1:8080/} */
    public DemoLauncher(String baseUrl, Optional<String> apiToken) {
        this.eventsUri = URI.create(baseUrl).resolve("/api/events");
        this.apiToken = apiToken;
    }

    /** Publishes every demo batch, each launch as one request; returns how many events were sent. */
    public int publish(Clock clock) {
        int sent = 0;
        for (List<Map<String, Object>> launch : launches(clock.instant().truncatedTo(ChronoUnit.SECONDS))) {
            post(launch);
            sent += launch.size();
        }
        return sent;
    }

    /** The launches in the order a user would have run them; each is the events of one launcher process. */
    static List<List<Map<String, Object>>> launches(Instant now) {
        List<List<Map<String, Object>>> launches = new ArrayList<>();
        Script sweep = new Script(SWEEP, now.minus(Duration.ofMinutes(95)));
        launches.add(sweepFirstLaunch(sweep));
        launches.add(sweepResume(sweep, now.minus(Duration.ofMinutes(45))));
        launches.add(failedSearch(now.minus(Duration.ofHours(4))));
        launches.add(stoppedAblation(now.minus(Duration.ofHours(3))));
        launches.add(stalledEval(now.minus(Duration.ofHours(6))));
        launches.add(runningFinetune(now.minus(Duration.ofMinutes(12)), now));
        return launches;
    }

    private static Map<String, Object> sweepStart() {
        return Map.of("source_project", "demo-forecasting", "experiment_type", "benchmark",
            "n_total", DATASETS.size() * MODELS.size(), "max_restarts", 2,
            "command", "python sweep.py --datasets dam,solar,traffic --models lstm,tcn,transformer,xgboost",
            "git_sha", "3f2c1a9", "labels", Map.of("team", "forecasting", "demo", "true"));
    }

    private static List<String> sweepJobs() {
        List<String> jobs = new ArrayList<>();
        for (String dataset : DATASETS) {
            for (String model : MODELS) {
                jobs.add(dataset + "/" + model);
            }
        }
        return jobs;
    }

    /** 6 jobs done (one after a restart), the 7th running when the launcher dies: no batch_done. */
    private static List<Map<String, Object>> sweepFirstLaunch(Script sweep) {
        sweep.add("batch_start", sweepStart());
        for (String job : sweepJobs()) {
            if (job.equals(INTERRUPTED_JOB)) {
                sweep.add("job_start", Map.of("job_id", job, "attempt", 1, "params", params(job)));
                sweep.later(Duration.ofMinutes(2)).add("job_progress", progress(job, 1, 500, 0.41));
                return sweep.take();
            }
            if (job.equals(FLAKY_JOB)) {
                sweep.add("job_start", Map.of("job_id", job, "attempt", 1, "params", params(job)));
                sweep.later(Duration.ofMinutes(2)).add("job_progress", progress(job, 1, 500, 0.52));
                sweep.later(Duration.ofSeconds(40)).add("job_failed", Map.of("job_id", job, "attempt", 1, "rank", 0,
                    "error_type", "CudaOOM", "message", "CUDA out of memory: tried to allocate 2.5 GiB"));
                sweep.later(Duration.ofSeconds(1)).add("job_failed", Map.of("job_id", job, "attempt", 1, "rank", 1,
                    "error_type", "NcclTimeout", "message", "rank 0 left the process group"));
                sweep.later(Duration.ofSeconds(5)).add("attribution", Map.of("job_id", job, "attempt", 1,
                    "verdict", "RESTART", "reason", "out of memory is transient here: retry with batch_size 32",
                    "source", "demo-classifier"));
                runJob(sweep.later(Duration.ofSeconds(30)), job, 2);
                continue;
            }
            runJob(sweep, job, 1);
        }
        throw new IllegalStateException("the sweep has no job " + INTERRUPTED_JOB);
    }

    /** The relaunch asks what is left and runs only that: the interrupted job (attempt 2) and the 5 never started. */
    private static List<Map<String, Object>> sweepResume(Script sweep, Instant resumedAt) {
        sweep.at(resumedAt).add("batch_start", sweepStart());
        List<String> jobs = sweepJobs();
        runJob(sweep, INTERRUPTED_JOB, 2);
        for (String job : jobs.subList(jobs.indexOf(INTERRUPTED_JOB) + 1, jobs.size())) {
            runJob(sweep, job, 1);
        }
        sweep.later(Duration.ofSeconds(5)).add("batch_done", Map.of("status", "done"));
        return sweep.take();
    }

    /** The first job diverges; the classifier says STOP (not transient), the launcher gives up: failed. */
    private static List<Map<String, Object>> failedSearch(Instant start) {
        Script search = new Script(FAILED, start);
        search.add("batch_start", Map.of("source_project", "demo-forecasting", "experiment_type", "hparam-search",
            "n_total", 3, "max_restarts", 1, "command", "python search.py --lr 1e-2,1e-3,1e-4",
            "labels", Map.of("team", "forecasting")));
        search.add("job_start", Map.of("job_id", "lr-1e-3", "attempt", 1, "params", Map.of("lr", "1e-3")));
        search.later(Duration.ofMinutes(6)).add("job_done", Map.of("job_id", "lr-1e-3", "attempt", 1,
            "metrics", Map.of("val_loss", 0.231), "result", "{\"val_loss\":0.231}"));
        search.later(Duration.ofSeconds(2)).add("job_start", Map.of("job_id", "lr-1e-2", "attempt", 1,
            "params", Map.of("lr", "1e-2")));
        search.later(Duration.ofMinutes(1)).add("job_progress", Map.of("job_id", "lr-1e-2", "attempt", 1,
            "step", 120, "metrics", Map.of("loss", 7.9)));
        search.later(Duration.ofSeconds(20)).add("job_failed", Map.of("job_id", "lr-1e-2", "attempt", 1,
            "error_type", "NaNLoss", "message", "loss became NaN at step 131"));
        search.later(Duration.ofSeconds(3)).add("attribution", Map.of("job_id", "lr-1e-2", "attempt", 1,
            "verdict", "STOP", "reason", "the loss diverged: a retry would diverge again", "source", "demo-classifier"));
        search.later(Duration.ofSeconds(2)).add("batch_done", Map.of("status", "failed"));
        return search.take();
    }

    /** Two jobs done, then a user stops the batch; the launcher asks before the next, gets STOP and ends it. */
    private static List<Map<String, Object>> stoppedAblation(Instant start) {
        Script ablation = new Script(STOPPED, start);
        ablation.add("batch_start", Map.of("source_project", "demo-vision", "experiment_type", "ablation",
            "n_total", 4, "command", "python ablate.py --dropout 0.0,0.1,0.3,0.5", "labels", Map.of("team", "vision")));
        for (String dropout : List.of("0.0", "0.1")) {
            String job = "dropout-" + dropout;
            ablation.add("job_start", Map.of("job_id", job, "attempt", 1, "params", Map.of("dropout", dropout)));
            ablation.later(Duration.ofMinutes(4)).add("job_done", Map.of("job_id", job, "attempt", 1,
                "metrics", Map.of("top1", dropout.equals("0.0") ? 0.712 : 0.724)));
        }
        ablation.later(Duration.ofMinutes(1)).add("stop_requested", Map.of("reason",
            "enough: 0.1 is the sweet spot", "requested_by", "alice"));
        ablation.later(Duration.ofSeconds(10)).add("batch_done", Map.of("status", "stopped"));
        return ablation.take();
    }

    /** Its launcher went silent hours ago: running, and stalled since nothing was heard for the stall timeout. */
    private static List<Map<String, Object>> stalledEval(Instant start) {
        Script eval = new Script(STALLED, start);
        eval.add("batch_start", Map.of("source_project", "demo-forecasting", "experiment_type", "nightly-eval",
            "n_total", 2, "command", "python eval.py --suite nightly", "labels", Map.of("schedule", "nightly")));
        eval.add("job_start", Map.of("job_id", "suite-a", "attempt", 1, "params", Map.of("suite", "a")));
        eval.later(Duration.ofMinutes(20)).add("job_progress", Map.of("job_id", "suite-a", "attempt", 1,
            "step", 40, "metrics", Map.of("done_pct", 40.0)));
        eval.later(Duration.ofMinutes(5)).add("heartbeat", Map.of());
        return eval.take();
    }

    /** Started a few minutes ago, one job done, one in progress: running (stalled once the timeout passes). */
    private static List<Map<String, Object>> runningFinetune(Instant start, Instant now) {
        Script finetune = new Script(RUNNING, start);
        finetune.add("batch_start", Map.of("source_project", "demo-llm", "experiment_type", "finetune",
            "n_total", 3, "command", "python finetune.py --variants lora-r8,lora-r16,full",
            "labels", Map.of("team", "llm", "gpu", "a100")));
        finetune.add("job_start", Map.of("job_id", "lora-r8", "attempt", 1, "params", Map.of("rank", "8")));
        finetune.later(Duration.ofMinutes(5)).add("job_progress", Map.of("job_id", "lora-r8", "attempt", 1,
            "step", 1000, "metrics", Map.of("loss", 1.42)));
        finetune.later(Duration.ofMinutes(1)).add("job_done", Map.of("job_id", "lora-r8", "attempt", 1,
            "metrics", Map.of("eval_loss", 1.38), "output_uri", "file:///demo/finetune/lora-r8"));
        finetune.later(Duration.ofSeconds(3)).add("job_start", Map.of("job_id", "lora-r16", "attempt", 1,
            "params", Map.of("rank", "16")));
        finetune.later(Duration.ofMinutes(3)).add("job_progress", Map.of("job_id", "lora-r16", "attempt", 1,
            "step", 500, "metrics", Map.of("loss", 1.61)));
        finetune.at(now.minus(Duration.ofSeconds(20))).add("job_progress", Map.of("job_id", "lora-r16",
            "attempt", 1, "step", 800, "metrics", Map.of("loss", 1.47)));
        return finetune.take();
    }

    /** start, two progress reports, done: about four minutes of make-believe training. */
    private static void runJob(Script script, String job, int attempt) {
        Map<String, String> params = new LinkedHashMap<>(params(job));
        if (attempt > 1) {
            params.put("batch_size", "32");
        }
        double base = quality(job);
        script.add("job_start", Map.of("job_id", job, "attempt", attempt, "params", params));
        script.later(Duration.ofMinutes(2)).add("job_progress", progress(job, attempt, 500, base * 3));
        script.later(Duration.ofMinutes(2)).add("job_progress", progress(job, attempt, 1000, base * 2));
        double mae = round(base);
        double rmse = round(base * 1.4);
        script.later(Duration.ofSeconds(10)).add("job_done", Map.of("job_id", job, "attempt", attempt,
            "metrics", Map.of("mae", mae, "rmse", rmse),
            "result", "{\"mae\":" + mae + ",\"rmse\":" + rmse + "}",
            "output_uri", "file:///demo/sweep/" + job + "/model.pt"));
        script.later(Duration.ofSeconds(2));
    }

    private static Map<String, String> params(String job) {
        String[] parts = job.split("/");
        return Map.of("dataset", parts[0], "model", parts[1]);
    }

    private static Map<String, Object> progress(String job, int attempt, long step, double loss) {
        return Map.of("job_id", job, "attempt", attempt, "step", step, "metrics", Map.of("loss", round(loss)));
    }

    /** A made-up but fixed score per job, so the leaderboard has an order. */
    private static double quality(String job) {
        String[] parts = job.split("/");
        return 0.08 + 0.03 * DATASETS.indexOf(parts[0]) + 0.015 * MODELS.indexOf(parts[1]);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private void post(List<Map<String, Object>> events) {
        StringBuilder body = new StringBuilder();
        for (Map<String, Object> event : events) {
            try {
                body.append(ViewJson.mapper().writeValueAsString(event)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("demo event is not JSON: " + event, e);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUri)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        apiToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Could not publish the demo events to " + eventsUri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the demo events", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Publishing the demo events to " + eventsUri + " answered "
                + response.statusCode() + ": " + response.body());
        }
    }

    /** The events of one batch in order, with fixed ids and a moving clock. */
    private static final class Script {
        private final String batchId;
        private final List<Map<String, Object>> pending = new ArrayList<>();
        private int sequence;
        private Instant clock;

        Script(String batchId, Instant start) {
            this.batchId = batchId;
            this.clock = start;
        }

        Script later(Duration pause) {
            clock = clock.plus(pause);
            return this;
        }

        Script at(Instant time) {
            clock = time;
            return this;
        }

        void add(String type, Map<String, Object> fields) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.put("event_id", batchId + "#" + ++sequence);
            event.put("batch_id", batchId);
            event.put("ts", clock.toString());
            event.put("producer", PRODUCER);
            event.putAll(fields);
            pending.add(event);
        }

        /** The events added since the last take: one launch. */
        List<Map<String, Object>> take() {
            List<Map<String, Object>> launch = List.copyOf(pending);
            pending.clear();
            return launch;
        }
    }
}
