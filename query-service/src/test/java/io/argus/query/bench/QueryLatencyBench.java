package io.argus.query.bench;

import io.argus.embedded.ApicurioDistribution;
import io.argus.embedded.ApicurioRegistry;
import io.argus.embedded.EmbeddedKafkaCluster;
import io.argus.query.QueryService;
import io.argus.registry.RegistryClientConfig;
import io.argus.streams.app.ArgusConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Latency of the batch view and of the jobs list of a 10,000-job batch, at fixed request rates, on a real broker,
 * registry and query service. Open loop: each request's latency counts from the moment it was due, so a slow
 * answer delays nothing and hides nothing (no coordinated omission). The load comes from this JVM over loopback.
 *
 * <p>Run: {@code mvn -B -q -pl query-service test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.argus.query.bench.QueryLatencyBench -Dargus.apicurio.home=$PWD/target/apicurio-2.6.13.Final}
 */
public final class QueryLatencyBench {

    private static final int JOBS = 10_000;
    private static final Duration PHASE = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "latency-bench");
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(work.resolve("kafka"), Map.of());
             ApicurioRegistry registry = ApicurioRegistry.start(ApicurioDistribution.locate(), work.resolve("registry"));
             QueryService service = QueryService.start(ArgusConfig.load(Optional.empty(), Map.of()).with(Map.of(
                 StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                 RegistryClientConfig.URL, registry.confluentApiUrl(),
                 StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString(),
                 ArgusConfig.HTTP_PORT, "0")), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + service.port();
            HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            awaitStatus(client, base + "/readyz", 200, Duration.ofSeconds(60));
            String batch = "bench-latency-10k";
            long loadStart = System.nanoTime();
            fill(client, base, batch);
            awaitDone(client, base + "/api/batches/" + batch, Duration.ofMinutes(5));
            System.out.printf(Locale.ROOT, "folded a batch of %d jobs (%d events) in %.1f s%n", JOBS, 2 * JOBS + 1,
                (System.nanoTime() - loadStart) / 1e9);

            // Untimed warm-up, so the JIT has compiled the paths before anything is measured.
            measure(client, base + "/api/batches/" + batch, "warm-up", 500);
            measure(client, base + "/api/batches/" + batch + "/jobs", "warm-up", 10);
            List<String> rows = new ArrayList<>();
            rows.add(measure(client, base + "/api/batches/" + batch, "batch view", 500));
            rows.add(measure(client, base + "/api/batches/" + batch, "batch view", 2000));
            rows.add(measure(client, base + "/api/batches/" + batch + "/jobs", "jobs list (10,000 jobs)", 5));
            rows.add(measure(client, base + "/api/batches/" + batch + "/jobs", "jobs list (10,000 jobs)", 20));
            System.out.printf(Locale.ROOT, "%nmachine: %d cores, max heap %d MiB; load from the same JVM over loopback;"
                + " %d s per row after an untimed warm-up, open loop%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, PHASE.toSeconds());
            System.out.println("| endpoint | rate (req/s) | requests | errors | p50 ms | p99 ms | max ms |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
        System.exit(0);
    }

    private static void fill(HttpClient client, String base, String batch) throws Exception {
        post(client, base, "{\"type\":\"batch_start\",\"batch_id\":\"" + batch + "\",\"event_id\":\"" + batch
            + "-start\",\"source_project\":\"bench\",\"experiment_type\":\"latency\",\"n_total\":" + JOBS
            + ",\"command\":\"bench\"}");
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < JOBS; i++) {
            String job = "dataset" + (i % 100) + "/model" + (i / 100);
            chunk.append("{\"type\":\"job_start\",\"batch_id\":\"").append(batch).append("\",\"event_id\":\"")
                .append(batch).append("-s").append(i).append("\",\"job_id\":\"").append(job)
                .append("\",\"attempt\":1,\"params\":{\"model\":\"m").append(i / 100).append("\",\"dataset\":\"d")
                .append(i % 100).append("\"}}\n");
            chunk.append("{\"type\":\"job_done\",\"batch_id\":\"").append(batch).append("\",\"event_id\":\"")
                .append(batch).append("-d").append(i).append("\",\"job_id\":\"").append(job)
                .append("\",\"attempt\":1,\"metrics\":{\"mae\":").append(i / 1000.0).append(",\"rmse\":")
                .append(i / 500.0).append("}}\n");
            if ((i + 1) % 400 == 0) {
                post(client, base, chunk.toString());
                chunk.setLength(0);
            }
        }
    }

    private static String measure(HttpClient client, String url, String name, int rate) throws Exception {
        int total = (int) (rate * PHASE.toSeconds());
        long intervalNanos = 1_000_000_000L / rate;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> pending = Collections.synchronizedList(new ArrayList<>());
        int[] errors = {0};
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            ticker.schedule(() -> pending.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.discarding())
                .thenAccept(response -> {
                    latencies.add(System.nanoTime() - due);
                    if (response.statusCode() != 200) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                    }
                })), due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        ticker.shutdown();
        ticker.awaitTermination(PHASE.toSeconds() + 5, TimeUnit.SECONDS);
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f | %.2f |", name, rate, sorted.size(),
            errors[0], percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    private static void post(HttpClient client, String base, String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ingest answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void awaitStatus(HttpClient client, String url, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not answer " + status + " within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitDone(HttpClient client, String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.body().contains("\"done\":" + JOBS)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the batch was not folded within " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
