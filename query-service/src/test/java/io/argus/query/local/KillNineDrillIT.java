package io.argus.query.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.embedded.FreePorts;
import io.argus.query.ArgusJarProcess;
import io.argus.streams.view.ViewJson;
import java.io.IOException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 drill: the local Argus ({@code java -jar argus.jar}, broker, registry and fold in one process tree) is
 * killed with SIGKILL at random moments while a launcher posts a realistic mix of events, re-sending every request
 * that was not acknowledged, with the same ids. Argus must come back every time, and at the end hold exactly what
 * the launcher sent: the counts it expects, and stores identical to a fold of the same log under a fresh
 * application id. {@code -Dargus.drill.kills=N} (default 5) and {@code -Dargus.drill.batches=N} (default 3) run it
 * bigger; the figures it prints go to docs/reliability.md.
 */
class KillNineDrillIT {

    private static final int KILLS = Integer.getInteger("argus.drill.kills", 5);
    private static final int BATCHES = Integer.getInteger("argus.drill.batches", 3);
    private static final int JOBS = 20;
    /** Every fifth job fails on two ranks in its first attempt and succeeds in its second. */
    private static final int FAILING_EVERY = 5;
    private static final Duration RESTART_DEADLINE = Duration.ofSeconds(180);
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(180);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void argusKilledWithSigkillComesBackEveryTimeAndLosesOrDoublesNothing() throws Exception {
        long seed = Long.getLong("argus.drill.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("kill -9 drill: seed %d (-Dargus.drill.seed), %d kills, %d batches of %d jobs%n", seed,
            KILLS, BATCHES, JOBS);
        Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "argus-drill-");
        int httpPort = FreePorts.loopback();
        Map<String, String> environment = Map.of("ARGUS_HTTP_PORT", Integer.toString(httpPort),
            "ARGUS_EMBEDDED_KAFKA_PORT", Integer.toString(FreePorts.loopback()));
        String base = "http://127.0.0.1:" + httpPort;

        List<String> requests = launcherRequests();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> launcherFailure = new AtomicReference<>();
        Thread launcher = new Thread(() -> {
            try {
                for (String request : requests) {
                    while (!stop.get() && !accepted(base, request)) {
                        resent.incrementAndGet();
                        TimeUnit.MILLISECONDS.sleep(100); // the launcher's back-off, not a synchronisation
                    }
                    acknowledged.incrementAndGet();
                }
            } catch (Throwable e) {
                launcherFailure.set(e);
            }
        }, "drill-launcher");

        Process argus = launch(workDir, environment, 0);
        awaitReady(argus, base, workDir, 0);
        launcher.start();
        List<Long> restartMillis = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            TimeUnit.MILLISECONDS.sleep(500 + random.nextInt(4000)); // a random moment to kill at
            started.addAll(argus.descendants().toList()); // the registry: the next start must cope with it
            argus.destroyForcibly().waitFor();
            long restarting = System.nanoTime();
            argus = launch(workDir, environment, kill);
            awaitReady(argus, base, workDir, kill);
            restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting));
        }
        launcher.join(Duration.ofMinutes(5).toMillis());
        stop.set(true);
        assertThat(launcherFailure.get()).isNull();
        assertThat(acknowledged.get()).as("every request acknowledged in the end").isEqualTo(requests.size());
        System.out.printf("kill -9 drill: %d kills survived, ready again after %s ms; %d requests (%d events) "
            + "acknowledged, %d re-sent%n", KILLS, restartMillis, requests.size(), eventCount(requests),
            resent.get());

        for (int b = 0; b < BATCHES; b++) {
            String batch = batchId(b);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertBatchAsSent(base, batch));
        }

        // The served stores against a fold of the same log under a fresh application id.
        ArgusJarProcess.Finished rebuild = ArgusJarProcess.run(workDir, environment, COMMAND_DEADLINE,
            "rebuild", "--application-id", "argus-drill-fresh");
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        argus.destroy();
        assertThat(argus.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ArgusJarProcess.Finished verify = ArgusJarProcess.run(workDir, environment, COMMAND_DEADLINE,
            "verify", "--application-id", LocalStack.APPLICATION_ID, "--against", "argus-drill-fresh");
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("stores are identical");
    }

    /**
     * What a launcher of {@value #JOBS}-job batches sends, in order, one to five events per request: a start, each
     * job's attempts with progress, a crash and resume half-way (a second batch_start), the end. Every event has
     * its own id, so a re-sent request is the same facts.
     */
    private static List<String> launcherRequests() {
        Random shapes = new Random(42);
        List<String> events = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            String batch = batchId(b);
            events.add(batchStart(batch, "start"));
            for (int j = 0; j < JOBS; j++) {
                String job = "job-" + j;
                if (j == JOBS / 2) {
                    events.add(batchStart(batch, "resume"));
                }
                events.add(event(batch, job + "-s1", "job_start", job, 1, ""));
                for (int step = 1; step <= 3; step++) {
                    events.add(event(batch, job + "-p1-" + step, "job_progress", job, 1,
                        ",\"step\":" + step + ",\"metrics\":{\"loss\":" + (1.0 / step) + "}"));
                }
                if (j % FAILING_EVERY == 0) {
                    for (int rank = 0; rank < 2; rank++) {
                        events.add(event(batch, job + "-f1-r" + rank, "job_failed", job, 1,
                            ",\"rank\":" + rank + ",\"error_type\":\"CUDAError\",\"message\":\"out of memory\""));
                    }
                    events.add(event(batch, job + "-s2", "job_start", job, 2, ""));
                    events.add(event(batch, job + "-d2", "job_done", job, 2, ",\"metrics\":{\"mae\":0.2}"));
                } else {
                    events.add(event(batch, job + "-d1", "job_done", job, 1, ",\"metrics\":{\"mae\":0.1}"));
                }
            }
            events.add("{\"type\":\"batch_done\",\"batch_id\":\"" + batch + "\",\"event_id\":\"" + batch
                + "-done\",\"status\":\"done\"}");
        }
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < events.size(); ) {
            int size = Math.min(events.size() - i, 1 + shapes.nextInt(5));
            requests.add(String.join("\n", events.subList(i, i + size)));
            i += size;
        }
        return requests;
    }

    private void assertBatchAsSent(String base, String batch) throws Exception {
        JsonNode view = json(base + "/api/batches/" + batch);
        assertThat(view.path("status").asText()).as(batch).isEqualTo("done");
        assertThat(view.path("resume_count").asInt()).as("one resume of %s, however often re-sent", batch)
            .isEqualTo(1);
        assertThat(view.path("job_counts").path("done").asInt()).as(batch).isEqualTo(JOBS);
        JsonNode jobs = json(base + "/api/batches/" + batch + "/jobs");
        assertThat(jobs).hasSize(JOBS);
        for (JsonNode job : jobs) {
            int number = Integer.parseInt(job.path("job_id").asText().substring("job-".length()));
            boolean failing = number % FAILING_EVERY == 0;
            assertThat(job.path("status").asText()).isEqualTo("done");
            assertThat(job.path("attempt").asInt()).as(job.toString()).isEqualTo(failing ? 2 : 1);
            assertThat(job.path("step").asLong()).as(job.toString()).isEqualTo(failing ? 0 : 3);
        }
        for (int j = 0; j < JOBS; j += FAILING_EVERY) {
            JsonNode job = json(base + "/api/batches/" + batch + "/jobs/job-" + j);
            assertThat(job.path("failures")).as(job.toString()).hasSize(1);
            assertThat(job.path("failures").get(0).path("report_count").asInt()).as("two ranks, each once")
                .isEqualTo(2);
        }
    }

    private boolean accepted(String base, String body) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
            return answer.statusCode() == 200;
        } catch (IOException notListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode json(String url) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + " " + answer.body()).isEqualTo(200);
        return ViewJson.mapper().readTree(answer.body());
    }

    private Process launch(Path workDir, Map<String, String> environment, int run) throws IOException {
        Process process = ArgusJarProcess.start(workDir, environment, workDir.resolve("argus-" + run + ".log"));
        started.add(process.toHandle());
        return process;
    }

    /** Waits for {@code /readyz} to answer 200, failing early when Argus exits. */
    private void awaitReady(Process argus, String base, Path workDir, int run) throws Exception {
        long end = System.nanoTime() + RESTART_DEADLINE.toNanos();
        while (true) {
            String log = workDir.resolve("argus-" + run + ".log").toString();
            assertThat(argus.isAlive()).as("Argus exited; see %s:%n%s", log, tail(Path.of(log))).isTrue();
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListening) {
                // Not up yet.
            }
            assertThat(System.nanoTime() - end).as("ready within %s after start %d; see %s:%n%s",
                RESTART_DEADLINE, run, log, tail(Path.of(log))).isNegative();
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static String batchStart(String batch, String id) {
        return "{\"type\":\"batch_start\",\"batch_id\":\"" + batch + "\",\"event_id\":\"" + batch + "-" + id
            + "\",\"source_project\":\"drill\",\"experiment_type\":\"sweep\",\"n_total\":" + JOBS
            + ",\"command\":\"python sweep.py\"}";
    }

    private static String event(String batch, String id, String type, String job, int attempt, String more) {
        return "{\"type\":\"" + type + "\",\"batch_id\":\"" + batch + "\",\"event_id\":\"" + batch + "-" + id
            + "\",\"job_id\":\"" + job + "\",\"attempt\":" + attempt + more + "}";
    }

    private static String batchId(int b) {
        return "drill-" + b;
    }

    private static long eventCount(List<String> requests) {
        return requests.stream().mapToLong(request -> request.lines().count()).sum();
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
