package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.argus.registry.RegistryClientConfig;
import io.argus.teststack.RealKafkaAndRegistry;
import io.argus.teststack.SharedTestStack;
import io.argus.teststack.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium}) against a real service over the real broker
 * and registry: the page's JavaScript runs, calls the API and renders; the test reads the DOM Chromium dumps after
 * that, and saves screenshots to {@code target/dashboard.png} and {@code target/dashboard-batch.png}.
 */
@ExtendWith(RealKafkaAndRegistry.class)
class DashboardChromiumTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** The flags known to work on the build machines: no sandbox as root, no network beyond loopback. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--mute-audio");
    /** Virtual time the page gets to fetch and render (it refreshes every 3 s, so it renders twice). */
    private static final int VIRTUAL_TIME_MS = 5000;
    private static final Duration CHROMIUM_DEADLINE = Duration.ofSeconds(60);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private static QueryService service;
    private static ApiClient api;
    private static String base;
    private static String running;
    private static String stopping;
    private static String stalled;

    /**
     * Skips the calling test class where Chromium is missing, so a developer without it can run the suite; in CI
     * ({@code CI=true}, which .ci/run sets) a missing browser is a broken setup and fails instead.
     */
    static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String missing = CHROMIUM + " does not exist: install it with 'apt-get install chromium' to run this test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(missing + " (CI=true: CI must run the browser tests, .ci/run installs it)");
        }
        Assumptions.abort(missing);
    }

    @BeforeAll
    static void start(SharedTestStack stack) throws Exception {
        requireChromium();
        String prefix = TestNames.unique("dash") + ".";
        Files.createDirectories(TARGET);
        QueryConfig config = QueryConfig.load(Optional.empty(), Map.of()).with(Map.of(
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
            RegistryClientConfig.URL, stack.registry().confluentApiUrl(),
            StreamsConfig.APPLICATION_ID_CONFIG, TestNames.unique("argus-dash"),
            StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(TARGET, "dash-state").toString(),
            QueryConfig.TOPICS_PREFIX, prefix,
            QueryConfig.HTTP_PORT, "0"));
        service = QueryService.start(config, Clock.systemUTC());
        api = new ApiClient(service.port(), Optional.empty());
        base = "http://127.0.0.1:" + service.port();
        await().atMost(DEADLINE).until(() -> api.get("/readyz").status() == 200);

        stalled = TestNames.unique("nightly");
        post(event("batch_start", stalled, -1800, Map.of("source_project", "energy", "experiment_type", "nightly",
                "n_total", 2, "command", "python nightly.py")),
            event("job_start", stalled, -1790, Map.of("job_id", "grid/ridge", "attempt", 1)));

        running = TestNames.unique("bench");
        post(event("batch_start", running, -900, Map.of("source_project", "forecasting",
                "experiment_type", "benchmark", "n_total", 4, "command", "python run.py --grid small",
                "git_sha", "5e1f00aa", "max_restarts", 2, "labels", Map.of("team", "ml", "gpu", "a100"))),
            event("job_start", running, -890, Map.of("job_id", "dam/lstm", "attempt", 1,
                "params", Map.of("model", "lstm", "dataset", "dam"))),
            event("job_done", running, -700, Map.of("job_id", "dam/lstm", "attempt", 1,
                "metrics", Map.of("mae", 0.1234, "rmse", 0.2031), "result", "{\"mae\":0.1234}")),
            event("job_start", running, -690, Map.of("job_id", "wind/transformer", "attempt", 1,
                "params", Map.of("model", "transformer", "dataset", "wind"))),
            event("job_failed", running, -600, Map.of("job_id", "wind/transformer", "attempt", 1, "rank", 0,
                "error_type", "CudaOOM", "message", "CUDA out of memory (tried to allocate 2.00 GiB)")),
            event("job_failed", running, -599, Map.of("job_id", "wind/transformer", "attempt", 1, "rank", 1,
                "error_type", "NcclTimeout", "message", "peer gone")),
            event("attribution", running, -598, Map.of("job_id", "wind/transformer", "attempt", 1,
                "verdict", "RESTART", "reason", "transient OOM", "source", "classifier")),
            event("batch_start", running, -590, Map.of("source_project", "forecasting",
                "experiment_type", "benchmark", "n_total", 4, "command", "python run.py --grid small",
                "git_sha", "5e1f00aa", "max_restarts", 2, "labels", Map.of("team", "ml", "gpu", "a100"))),
            event("job_start", running, -580, Map.of("job_id", "wind/transformer", "attempt", 2,
                "params", Map.of("model", "transformer", "dataset", "wind"))),
            event("job_failed", running, -400, Map.of("job_id", "wind/transformer", "attempt", 2, "rank", 0,
                "error_type", "ValueError", "message", "d_model must be divisible by n_heads")),
            event("attribution", running, -399, Map.of("job_id", "wind/transformer", "attempt", 2,
                "verdict", "STOP", "reason", "configuration error", "source", "classifier")),
            event("job_start", running, -390, Map.of("job_id", "solar/tcn", "attempt", 1,
                "params", Map.of("model", "tcn", "dataset", "solar"))),
            event("job_done", running, -200, Map.of("job_id", "solar/tcn", "attempt", 1,
                "metrics", Map.of("mae", 0.2871, "rmse", 0.3502))),
            event("job_start", running, -190, Map.of("job_id", "load/nbeats", "attempt", 1,
                "params", Map.of("model", "nbeats", "dataset", "load"))),
            event("job_progress", running, -30, Map.of("job_id", "load/nbeats", "attempt", 1, "step", 1200,
                "metrics", Map.of("loss", 0.4123))),
            event("heartbeat", running, -10, Map.of()));

        stopping = TestNames.unique("sweep");
        post(event("batch_start", stopping, -300, Map.of("source_project", "forecasting", "experiment_type", "sweep",
                "n_total", 3, "command", "python sweep.py", "labels", Map.of("note", "<b>v2</b> & <i>more</i>"))),
            event("job_start", stopping, -290, Map.of("job_id", "lr=0.1", "attempt", 1)),
            event("job_done", stopping, -120, Map.of("job_id", "lr=0.1", "attempt", 1, "metrics", Map.of("mae", 0.5))),
            event("job_start", stopping, -110, Map.of("job_id", "lr=0.01", "attempt", 1)));
        ApiClient.Answer stop = api.post("/api/batches/" + stopping + "/stop",
            "{\"reason\":\"enough data\",\"requested_by\":\"alice\"}");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);

        await().atMost(DEADLINE).until(() -> {
            ApiClient.Answer list = api.get("/api/batches");
            if (list.status() != 200) {
                return false;
            }
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            list.json().path("batches").forEach(b -> byId.put(b.path("batch_id").asText(), b));
            return byId.size() == 3
                && byId.get(running).path("job_counts").path("running").asInt() == 1
                && byId.get(running).path("job_counts").path("done").asInt() == 2
                && byId.get(running).path("last_event_ts").asText().equals(NOW.minusSeconds(10).toString())
                && byId.get(stopping).path("stopping").asBoolean()
                && byId.get(stalled).path("stalled").asBoolean();
        });
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theListShowsEveryBatchWithProgressCountsAndBadges() throws Exception {
        String dom = dumpDom(base + "/");

        assertThat(dom).contains("data-view=\"list\"");
        assertThat(element(dom, "id=\"error\"", ">")).as("no error shown").contains("hidden");
        List<Map<String, String>> rows = tags(dom, "tr").stream().filter(t -> hasClass(t, "batch-row")).toList();
        assertThat(rows).extracting(r -> r.get("data-batch-id")).containsExactlyInAnyOrder(running, stopping, stalled);

        String first = element(dom, "data-batch-id=\"" + running + "\"", "</tr>");
        assertThat(first).contains("href=\"#/batch/" + running + "\"", "forecasting", "benchmark",
            "data-status=\"running\"", "data-done=\"2\"", "data-total=\"4\"", "data-failed=\"1\"",
            "2/4 (50%)", "1 failed", "1 running", "2 done", "0 pending");
        assertThat(first).contains("data-resume-count=\"1\"").doesNotContain("badge-stalled", "badge-stopping");
        assertThat(attribute(first, "seg seg-done", "style")).isEqualTo("width:50%");
        assertThat(attribute(first, "seg seg-failed", "style")).isEqualTo("width:25%");

        String second = element(dom, "data-batch-id=\"" + stopping + "\"", "</tr>");
        assertThat(second).contains("badge badge-stopping", "alice", "enough data", "1/3 (33.3%)")
            .doesNotContain("badge-stalled");
        String third = element(dom, "data-batch-id=\"" + stalled + "\"", "</tr>");
        assertThat(third).contains("badge badge-stalled", "0/2 (0%)").doesNotContain("badge-stopping");
    }

    @Test
    void theBatchPageListsItsJobsAndOpensAJobsFailuresAndDecisions() throws Exception {
        String dom = dumpDom(base + "/#/batch/" + running + "/job/" + ApiClient.encode("wind/transformer"));

        assertThat(dom).contains("id=\"batch-page\" data-batch-id=\"" + running + "\"");
        Map<String, String> statuses = new LinkedHashMap<>();
        tags(dom, "tr").stream().filter(t -> hasClass(t, "job-row"))
            .forEach(t -> statuses.put(t.get("data-job-id"), t.get("data-status")));
        assertThat(statuses).containsExactly(Map.entry("dam/lstm", "done"), Map.entry("load/nbeats", "running"),
            Map.entry("solar/tcn", "done"), Map.entry("wind/transformer", "failed"));
        assertThat(element(dom, "data-job-id=\"dam/lstm\"", "</tr>")).contains("mae", "0.1234", "rmse");
        assertThat(element(dom, "data-job-id=\"load/nbeats\"", "</tr>")).contains("step", "1200", "loss", "0.4123");
        assertThat(element(dom, "class=\"job-row open\" data-job-id=\"wind/transformer\"", "</tr>"))
            .contains("data-attempt=\"2\"", "ValueError", "d_model must be divisible by n_heads");

        String batch = element(dom, "id=\"batch-fields\"", "</section>");
        assertThat(batch).contains("python run.py --grid small", "5e1f00aa", "ml", "a100");
        String resumes = element(dom, "id=\"resume-history\"", "</section>");
        assertThat(element(resumes, "data-field=\"resume_count\"", "</dd>")).contains(">1<");
        assertThat(element(resumes, "data-field=\"last_resumed_at\"", "</dd>"))
            .contains(fmt(NOW.minusSeconds(590)));
        assertThat(element(resumes, "data-field=\"ignored_relaunches\"", "</dd>")).contains(">0<");
        assertThat(dom).contains("href=\"/api/batches/" + running + "/results.jsonl\"",
            "href=\"/api/batches/" + running + "/leaderboard.csv\"");

        String detail = element(dom, "id=\"job-detail\"", "</details>");
        List<Map<String, String>> failures = tags(detail, "tr").stream().filter(t -> hasClass(t, "failure-row"))
            .toList();
        assertThat(failures).extracting(f -> f.get("data-attempt")).containsExactly("1", "2");
        assertThat(element(detail, "class=\"failure-row\" data-attempt=\"1\"", "</tr>"))
            .contains(">2<", "0, 1", "CudaOOM", "CUDA out of memory");
        assertThat(tags(detail, "tr").stream().filter(t -> hasClass(t, "decision-row"))
            .map(t -> t.get("data-attempt") + ":" + t.get("data-verdict")).toList())
            .containsExactly("1:RESTART", "2:STOP");
        assertThat(detail).contains("configuration error", "transient OOM", "classifier");
    }

    @Test
    void theStoppingBatchShowsWhoStoppedItAndEscapesWhatItShows() throws Exception {
        String dom = dumpDom(base + "/#/batch/" + stopping);

        assertThat(element(dom, "id=\"batch-summary\"", "</section>"))
            .contains("id=\"stop-note\"", "alice", "enough data", "1/3 (33.3%)");
        assertThat(dom).contains("badge badge-stopping");
        assertThat(element(dom, "id=\"batch-fields\"", "</section>"))
            .contains("&lt;b&gt;v2&lt;/b&gt; &amp; &lt;i&gt;more&lt;/i&gt;")
            .doesNotContain("<b>v2</b>", "<i>more</i>");
        assertThat(tags(dom, "tr").stream().filter(t -> hasClass(t, "job-row")).map(t -> t.get("data-status")))
            .containsExactlyInAnyOrder("done", "running");
    }

    @Test
    void anUnknownBatchAndAServiceThatIsStartingGetClearMessages() throws Exception {
        assertThat(element(dumpDom(base + "/#/batch/no-such-batch"), "id=\"not-found\"", "</div>"))
            .contains("no-such-batch", "404");

        HttpServer starting = startingService();
        try {
            String dom = dumpDom("http://127.0.0.1:" + starting.getAddress().getPort() + "/");
            String banner = element(dom, "id=\"error\"", "</div>");
            assertThat(banner).contains("data-status=\"503\"", "Argus is not ready (503 unavailable)",
                "Argus is starting; the fold is not wired up yet", "Retrying every 3 s").doesNotContain("hidden");
            assertThat(dom).contains("Waiting for the API");
        } finally {
            starting.stop(0);
        }
    }

    @Test
    void screenshotsOfTheListAndOfABatchPage() throws Exception {
        Path list = TARGET.resolve("dashboard.png");
        Path batch = TARGET.resolve("dashboard-batch.png");
        screenshot(base + "/", list, "1280,900");
        screenshot(base + "/#/batch/" + running + "/job/" + ApiClient.encode("wind/transformer"), batch, "1280,1100");
        for (Path png : List.of(list, batch)) {
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).as(png + " size").isGreaterThan(10_000);
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    // ------------------------------------------------------------------------------------------ Chromium

    private static String dumpDom(String url) throws Exception {
        return new String(chromium(List.of("--window-size=1280,900", "--virtual-time-budget=" + VIRTUAL_TIME_MS,
            "--dump-dom", url)), StandardCharsets.UTF_8);
    }

    private static void screenshot(String url, Path png, String windowSize) throws Exception {
        Files.deleteIfExists(png);
        chromium(List.of("--window-size=" + windowSize, "--virtual-time-budget=" + VIRTUAL_TIME_MS,
            "--screenshot=" + png, url));
        assertThat(png).exists();
    }

    /** Runs Chromium with a new empty profile; returns its stdout. Killed (with its children) past the deadline. */
    private static byte[] chromium(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(TARGET, "chromium-profile");
        Path out = Files.createTempFile(TARGET, "chromium", ".out");
        Path err = Files.createTempFile(TARGET, "chromium", ".err");
        List<String> command = new ArrayList<>();
        command.add(CHROMIUM.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!process.waitFor(CHROMIUM_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("chromium did not finish within " + CHROMIUM_DEADLINE + ": " + command
                    + "\n" + tail(err));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": " + command + "\n"
                    + tail(err));
            }
            return Files.readAllBytes(out);
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            deleteTree(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover profile under target/ is harmless
        }
    }

    /** A stand-in for a service whose fold is not wired up yet: the dashboard's files, and 503 for the API. */
    private static HttpServer startingService() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status;
            String type;
            if (path.startsWith("/api/")) {
                status = 503;
                type = "application/json";
                body = "{\"error\":\"unavailable\",\"detail\":\"Argus is starting; the fold is not wired up yet\"}"
                    .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Retry-After", "1");
            } else {
                String name = path.equals("/") ? "index.html" : path.substring(1);
                try (InputStream in = DashboardChromiumTest.class.getResourceAsStream("/dashboard/" + name)) {
                    status = in == null ? 404 : 200;
                    body = in == null ? new byte[0] : in.readAllBytes();
                }
                type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            }
            exchange.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (var responseBody = exchange.getResponseBody()) {
                responseBody.write(body);
            }
        });
        server.start();
        return server;
    }

    // ------------------------------------------------------------------------------------------ the dumped DOM

    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:-]+)(?:=\"([^\"]*)\")?");

    /** Every start tag of this name, as its attributes (values as serialized: &amp; and &quot; escaped). */
    private static List<Map<String, String>> tags(String html, String name) {
        List<Map<String, String>> tags = new ArrayList<>();
        Matcher tag = Pattern.compile("<" + name + "\\b([^>]*)>").matcher(html);
        while (tag.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(tag.group(1));
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2) == null ? "" : attribute.group(2));
            }
            tags.add(attributes);
        }
        return tags;
    }

    private static boolean hasClass(Map<String, String> tag, String className) {
        return List.of(tag.getOrDefault("class", "").split("\\s+")).contains(className);
    }

    /** From the start tag holding {@code marker} to the first {@code end} after it (elements without nesting). */
    private static String element(String html, String marker, String end) {
        int at = html.indexOf(marker);
        assertThat(at).as("the page has %s", marker).isNotNegative();
        int start = html.lastIndexOf('<', at);
        int stop = html.indexOf(end, at);
        assertThat(stop).as("%s is closed by %s", marker, end).isPositive();
        return html.substring(start, stop + end.length());
    }

    /** An attribute of the first tag whose class attribute starts with {@code classValue}. */
    private static String attribute(String html, String classValue, String name) {
        Matcher tag = Pattern.compile("<\\w+[^>]*class=\"" + Pattern.quote(classValue) + "\"[^>]*>").matcher(html);
        assertThat(tag.find()).as("a tag with class %s", classValue).isTrue();
        return tags(tag.group(), "\\w+").get(0).get(name);
    }

    private static String fmt(Instant instant) {
        return instant.toString().replace('T', ' ').replace("Z", "");
    }

    // ------------------------------------------------------------------------------------------ events

    private static void post(String... events) {
        FlatEvents.post(api, events);
    }

    /** A flat event {@code secondsFromNow} seconds from the start of the test (negative: in the past). */
    private static String event(String type, String batch, long secondsFromNow, Map<String, Object> fields) {
        return FlatEvents.event(NOW, type, batch, secondsFromNow, fields);
    }
}
