package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.query.KeyRouter.Local;
import io.argus.query.KeyRouter.Remote;
import io.argus.query.KeyRouter.Unavailable;
import io.argus.streams.fold.Limits;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobStatus;
import io.argus.streams.view.ViewJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, built but not started: routes, authentication and the mapping of every failure to a JSON error.
 * Reads about one batch are answered by the instance that owns it; others forward there (see {@link KeyRouter}).
 */
final class ArgusHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ArgusHttp.class);
    /** What the API routes need; they exist once the fold is wired up. */
    record Parts(KeyRouter router, Forwarder forwarder, BatchReads reads, ClusterBatches cluster, Ingest ingest,
                 DecisionWaits waits) {
    }

    /**
     * What the server needs from the start. {@code drainTimeout}: how long a stop lets requests in flight finish (a
     * long streamed list, a forwarded read) before it cuts them ({@code argus.http.drain.timeout.ms}).
     */
    record Settings(Supplier<Readiness> readiness, Supplier<Readiness> liveness, PrometheusMeterRegistry metrics,
                    Optional<String> apiToken, boolean protectReads, Duration drainTimeout) {
    }

    /** {@code /readyz}: ready when the fold runs and the stores answer; {@code /healthz}: the process is alive. */
    record Readiness(boolean ready, String state) {
    }

    private ArgusHttp() {
    }

    /**
     * @param wiredParts the routes' collaborators, empty while the fold is still being wired up: the HTTP port is
     *                   bound first, since the fold advertises it. Until then API calls answer 503.
     */
    static Javalin create(Supplier<Optional<Parts>> wiredParts, Settings settings) {
        Supplier<Parts> parts = () -> wiredParts.get()
            .orElseThrow(() -> ApiException.unavailable("Argus is starting; the fold is not wired up yet"));
        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(ViewJson.mapper(), false));
            config.startup.showJavalinBanner = false;
            // Every error answer is JSON, also those Jetty gives before a route runs (bad request lines, limits).
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // A stop drains: requests in flight finish, new ones on open connections get a JSON 503 (through
                // the error handler), new connections are refused. Javalin puts its context inside this handler.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(settings.drainTimeout().toMillis());
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.http.prefer405over404 = true;
            config.staticFiles.add("/dashboard", Location.CLASSPATH);
            // The dashboard's charting library (uPlot) from its WebJar, under /webjars/: served by the jar itself.
            config.staticFiles.enableWebjars();
            config.routes.before("/api/*", ctx -> authorize(ctx, settings));
            config.routes.before("/api/*", QueryParams::requireWellFormed);
            config.requestLogger.http((ctx, millis) -> recordRequest(settings.metrics(), ctx, millis));

            // Down once the fold has stopped for good (its failure budget spent): a restart is what heals it.
            config.routes.get("/healthz", ctx -> {
                Readiness alive = settings.liveness().get();
                ctx.status(alive.ready() ? 200 : 503).json(Map.of("status", alive.ready() ? "up" : "down",
                    "state", alive.state()));
            });
            config.routes.get("/readyz", ctx -> {
                Readiness readiness = settings.readiness().get();
                ctx.status(readiness.ready() ? 200 : 503).json(Map.of("ready", readiness.ready(),
                    "state", readiness.state()));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(settings.metrics().scrape()));
            config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json")
                .result(resource("/openapi.json")));

            config.routes.get("/api/batches", ctx -> listBatches(ctx, parts.get()));
            config.routes.get(ClusterBatches.LOCAL_PATH, ctx -> ctx.json(localBatches(ctx, parts.get())));
            config.routes.get("/api/batches/{batch_id}", owned(parts, (ctx, reads) -> {
                Optional<Instant> asOf = instant(ctx, "as_of");
                if (asOf.isPresent()) {
                    ctx.json(reads.viewAsOf(batchId(ctx), asOf.get()));
                    return;
                }
                BatchReads.Versioned<BatchAnswer> view = reads.versionedView(batchId(ctx));
                if (!BatchEtag.notModified(ctx, view.etag())) {
                    ctx.json(view.answer());
                }
            }));
            config.routes.get("/api/batches/{batch_id}/jobs", owned(parts, (ctx, reads) -> {
                Optional<JobStatus> status = jobStatus(ctx);
                JobListFields fields = JobListFields.parse(ctx.queryParam("fields"));
                if (BatchEtag.notModified(ctx, reads.jobsEtag(batchId(ctx)))) {
                    return;
                }
                ctx.contentType("application/json");
                StreamedBody.write(ctx, out -> reads.writeJobs(batchId(ctx), status, fields, out));
            }));
            config.routes.get("/api/batches/{batch_id}/launches", owned(parts, (ctx, reads) -> {
                BatchReads.Versioned<Launches> launches = reads.launches(batchId(ctx));
                if (!BatchEtag.notModified(ctx, launches.etag())) {
                    ctx.json(launches.answer());
                }
            }));
            config.routes.get("/api/batches/{batch_id}/events", owned(parts, (ctx, reads) -> {
                long from = QueryParams.number(ctx, "cursor", 0, Long.MAX_VALUE).orElse(0L);
                int limit = QueryParams.number(ctx, "limit", 1, 1000).orElse(100L).intValue();
                EventFilter filter = EventFilter.parse(ctx.queryParam("type"), ctx.queryParam("job_id"));
                Optional<Set<String>> fields = EventFields.parse(ctx.queryParam("fields"));
                int scan = QueryParams.number(ctx, "scan", 1, BatchReads.FILTER_SCAN_POSITIONS)
                    .orElse((long) BatchReads.FILTER_SCAN_POSITIONS).intValue();
                BatchReads.EventPage page = reads.events(batchId(ctx), from, limit, scan, filter);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("events", page.events().stream().map(event -> EventFields.keep(event, fields)).toList());
                body.put("next_cursor", page.nextCursor() == null ? null : Long.toString(page.nextCursor()));
                ctx.json(body);
            }));
            config.routes.get("/api/batches/{batch_id}/results.jsonl", owned(parts, (ctx, reads) -> {
                ctx.contentType("application/x-ndjson");
                StreamedBody.write(ctx, out -> reads.writeResultsJsonl(batchId(ctx), out));
            }));
            config.routes.get("/api/batches/{batch_id}/leaderboard.csv", owned(parts, (ctx, reads) -> {
                ctx.contentType("text/csv; charset=utf-8");
                ctx.header("Content-Disposition", "attachment; filename=\"" + batchId(ctx) + "-leaderboard.csv\"");
                StreamedBody.write(ctx, out -> reads.writeLeaderboardCsv(batchId(ctx), out));
            }));
            config.routes.get("/api/batches/{batch_id}/jobs/<job_id>/decision", owned(parts, (ctx, reads) -> {
                int attempt = (int) QueryParams.required(ctx, "attempt", 1, Integer.MAX_VALUE);
                long waitMs = QueryParams.number(ctx, "wait_ms", 0, DecisionAnswer.MAX_WAIT.toMillis()).orElse(0L);
                String batchId = batchId(ctx);
                String jobId = ctx.pathParam("job_id");
                // Asynchronous: a wait holds no Jetty thread, so many of them cannot starve /healthz.
                CompletableFuture<DecisionAnswer> answer = parts.get().waits().decide(batchId,
                    () -> new DecisionAnswer.Snapshot(reads.batch(batchId), reads.jobState(batchId, jobId)), attempt,
                    Duration.ofMillis(waitMs));
                ctx.future(() -> answer.thenAccept(ctx::json));
            }));
            config.routes.get("/api/batches/{batch_id}/jobs/<job_id>", owned(parts, (ctx, reads) ->
                ctx.json(reads.job(batchId(ctx), ctx.pathParam("job_id")))));

            config.routes.post("/api/events", ctx -> parts.get().ingest().events(ctx));
            config.routes.post("/api/batches/{batch_id}/stop", ctx -> parts.get().ingest().stop(ctx, batchId(ctx)));

            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.retryAfterSeconds() != null) {
                    ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
                }
                ctx.status(e.status()).json(error(e.error(), e.getMessage()));
            });
            // The connection is already aborted: nothing can be answered any more.
            config.routes.exception(StreamedBody.Aborted.class, (e, ctx) -> ctx.status(500));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(error("internal_error", "the request failed on the server; see its log"));
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus())
                .json(error(JsonErrorHandler.errorName(e.getStatus()), e.getStatus() == 405
                    ? ctx.req().getMethod() + " is not allowed on " + ctx.path() : e.getMessage())));
        });
    }

    /** One timer per route template (not per URL, which would be unbounded), method and status. */
    private static void recordRequest(PrometheusMeterRegistry metrics, Context ctx, float millis) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        Timer.builder("argus.http.requests")
            .tag("method", ctx.method().name())
            .tag("route", endpoint == null ? "unmatched" : endpoint.path)
            .tag("status", Integer.toString(ctx.statusCode()))
            .register(metrics)
            .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    /** A handler of reads about one batch, given the reads of the partition that owns it. */
    @FunctionalInterface
    private interface OwnedHandler {
        void handle(Context ctx, BatchReads reads) throws Exception;
    }

    /**
     * Runs the handler here when this instance owns the batch, forwards otherwise, 503 while nobody does. A "not
     * found" is only given while this instance still owns the partition: if ownership moved during the read, the
     * miss may be the move's, so the answer is 503.
     */
    private static Handler owned(Supplier<Parts> parts, OwnedHandler local) {
        return ctx -> {
            KeyRouter.Route route = parts.get().router().route(batchId(ctx));
            if (route instanceof Local owner) {
                try {
                    local.handle(ctx, parts.get().reads().at(owner.partition()));
                } catch (ApiException e) {
                    if (e.status() == 404 && !route.equals(parts.get().router().route(batchId(ctx)))) {
                        throw ApiException.unavailable("batch " + batchId(ctx) + " moved while it was read");
                    }
                    throw e;
                }
            } else if (route instanceof Remote remote) {
                parts.get().forwarder().forward(ctx, remote.host());
            } else {
                throw ApiException.unavailable(((Unavailable) route).why());
            }
        };
    }

    /**
     * Every instance answers its first {@code limit + 1} batches after the cursor; this one merges those and cuts the
     * page. One more than the page tells whether there is a next one.
     */
    private static void listBatches(Context ctx, Parts parts) {
        int limit = QueryParams.number(ctx, "limit", 1, BatchList.MAX_LIMIT).orElse((long) BatchList.DEFAULT_LIMIT)
            .intValue();
        Optional<String> cursor = Optional.ofNullable(ctx.queryParam("cursor"));
        List<JsonNode> firsts = parts.cluster().all(localBatches(ctx, parts, cursor, limit + 1),
            pageQuery(ctx, cursor, limit + 1), Optional.ofNullable(ctx.header("Authorization")));
        BatchList.Page page = BatchList.page(firsts, cursor, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batches", page.batches());
        body.put("next_cursor", page.nextCursor());
        ctx.json(body);
    }

    /** The internal endpoint: this instance's share of a page (every batch when no limit is given). */
    private static List<JsonNode> localBatches(Context ctx, Parts parts) {
        int limit = QueryParams.number(ctx, "limit", 1, Integer.MAX_VALUE).orElse((long) Integer.MAX_VALUE)
            .intValue();
        return localBatches(ctx, parts, Optional.ofNullable(ctx.queryParam("cursor")), limit);
    }

    private static List<JsonNode> localBatches(Context ctx, Parts parts, Optional<String> cursor, int limit) {
        ClusterBatches.requireRunning(parts.router().streams());
        BatchList.Filter filter = new BatchList.Filter(batchStatus(ctx),
            Optional.ofNullable(ctx.queryParam("project")), Optional.ofNullable(ctx.queryParam("experiment_type")));
        return parts.reads().localBatches(filter, cursor.map(BatchList.Position::decode), limit).stream()
            .map(answer -> (JsonNode) ViewJson.mapper().valueToTree(answer))
            .toList();
    }

    /** The filters, the cursor and the share's size travel to the other instances; the page is cut here. */
    private static String pageQuery(Context ctx, Optional<String> cursor, int share) {
        StringBuilder query = new StringBuilder("limit=" + share);
        cursor.ifPresent(value -> query.append("&cursor=").append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        for (String name : List.of("status", "project", "experiment_type")) {
            String value = ctx.queryParam(name);
            if (value != null) {
                query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    private static void authorize(Context ctx, Settings settings) {
        if (settings.apiToken().isEmpty()) {
            return;
        }
        boolean isWrite = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
        if (!isWrite && !settings.protectReads()) {
            return;
        }
        String expected = "Bearer " + settings.apiToken().get();
        if (!constantTimeEquals(expected, ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(HttpStatus.UNAUTHORIZED.getCode(), "unauthorized",
                "this endpoint needs Authorization: Bearer <ARGUS_API_TOKEN>");
        }
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            given.getBytes(StandardCharsets.UTF_8));
    }

    private static String batchId(Context ctx) {
        return ctx.pathParam("batch_id");
    }

    private static Optional<JobStatus> jobStatus(Context ctx) {
        String status = ctx.queryParam("status");
        if (status == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobStatus.valueOf(status));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be one of running, done, failed; got '" + status + "'");
        }
    }

    private static Optional<String> batchStatus(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && Arrays.stream(BatchStatus.values()).noneMatch(s -> s.name().equals(status))) {
            throw ApiException.badRequest("status must be one of running, done, failed, stopped, unknown; got '"
                + status + "'");
        }
        return Optional.ofNullable(status);
    }

    private static Optional<Instant> instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be ISO-8601 like 2026-11-23T10:00:00Z, got '" + value + "'");
        }
        if (instant.isBefore(Limits.EARLIEST_TS) || instant.isAfter(Limits.LATEST_TS)) {
            throw ApiException.badRequest(name + " must be between " + Limits.EARLIEST_TS + " and "
                + Limits.LATEST_TS + ", got '" + value + "'");
        }
        return Optional.of(instant);
    }

    static Map<String, String> error(String error, String detail) {
        return Map.of("error", error, "detail", detail == null ? "" : detail);
    }

    private static InputStream resource(String name) {
        InputStream in = ArgusHttp.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the jar");
        }
        return in;
    }
}
