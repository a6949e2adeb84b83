package io.argus.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one registry call over HTTP with the configured headers, timeouts and authentication, and retries it with
 * exponential backoff and jitter when no answer arrived, on 5xx and on 429, within a total deadline per call. Every
 * other answer, 2xx or 4xx, is handed back to the caller as it is.
 */
final class RegistryTransport implements AutoCloseable {

    static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** What a call is for, so that failures can say it. */
    record Call(String method, String path, String body, String action, String subject, Integer schemaId) {
        static Call get(String path, String action, String subject, Integer schemaId) {
            return new Call("GET", path, null, action, subject, schemaId);
        }

        static Call post(String path, String body, String action, String subject) {
            return new Call("POST", path, body, action, subject, null);
        }

        static Call put(String path, String body, String action, String subject) {
            return new Call("PUT", path, body, action, subject, null);
        }

        String describe() {
            return action + " (" + method + " " + path + ")";
        }
    }

    /** An HTTP answer that is not to be retried, and how many attempts it took. */
    record Answer(int status, String body, int attempts) {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private final RegistryClientConfig config;
    private final String baseUrl;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Supplier<String> authorization;
    private final AtomicLong attemptsSent = new AtomicLong();

    RegistryTransport(RegistryClientConfig config) {
        this.config = config;
        this.baseUrl = config.baseUrl().toString();
        this.authorization = authorization(config);
        int clientNumber = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "argus-registry-http-" + clientNumber + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .executor(executor);
        SslContexts.from(config).ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** How many HTTP attempts this transport has made, retries included. For tests. */
    long attemptsSent() {
        return attemptsSent.get();
    }

    /**
     * Sends the call, retrying as configured. Returns the first answer that is not retriable; throws a
     * {@link SchemaRegistryException} when the retries or the call deadline run out.
     */
    Answer send(Call call) {
        long deadline = System.nanoTime() + config.callTimeout().toNanos();
        int attempt = 0;
        SchemaRegistryException failure = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (failure != null && remaining <= 0) {
                throw Failures.deadline(call, failure, config.callTimeout(), attempt);
            }
            attempt++;
            Duration timeout = Duration.ofNanos(Math.min(remaining, config.requestTimeout().toNanos()));
            Optional<Duration> retryAfter = Optional.empty();
            try {
                attemptsSent.incrementAndGet();
                HttpResponse<String> response = http.send(request(call, timeout),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (!isRetriable(status)) {
                    return new Answer(status, response.body(), attempt);
                }
                failure = Failures.fromAnswer(call, new Answer(status, response.body(), attempt));
                retryAfter = retryAfter(response);
            } catch (HttpConnectTimeoutException e) {
                failure = Failures.noResponse(call, "no connection within " + config.connectTimeout().toMillis() + " ms",
                        attempt, e);
            } catch (HttpTimeoutException e) {
                failure = Failures.noResponse(call, "no answer within " + timeout.toMillis() + " ms", attempt, e);
            } catch (IOException e) {
                failure = Failures.noResponse(call, "no answer: " + e, attempt, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failures.noResponse(call, "interrupted", attempt, e);
            }
            if (attempt > config.maxRetries()) {
                throw failure;
            }
            Duration backoff = backoff(attempt, retryAfter);
            if (System.nanoTime() + backoff.toNanos() >= deadline) {
                throw Failures.deadline(call, failure, config.callTimeout(), attempt);
            }
            LOG.debug("Retrying {} in {} ms after attempt {}: {}", call.describe(), backoff.toMillis(), attempt,
                    failure.getMessage());
            pause(call, backoff, attempt);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private HttpRequest request(Call call, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + call.path()))
                .timeout(timeout)
                .header("Accept", ACCEPT);
        if (call.body() != null) {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
        } else {
            builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            builder.header("Authorization", authorization.get());
        }
        return builder.build();
    }

    private static boolean isRetriable(int status) {
        return status == 429 || status >= 500;
    }

    /** Exponential backoff with equal jitter, never below a server's {@code Retry-After}, always within the maximum. */
    private Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long base = config.retryBackoff().toMillis();
        long max = config.retryBackoffMax().toMillis();
        int shift = Math.min(attempt - 1, 30);
        long exponential = base <= (max >> shift) ? base << shift : max;
        long half = exponential / 2;
        long jittered = half + ThreadLocalRandom.current().nextLong(exponential - half + 1);
        long wanted = Math.max(jittered, retryAfter.map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(Math.min(max, wanted));
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: ignored, the backoff applies
            }
        });
    }

    private static void pause(Call call, Duration backoff, int attempt) {
        try {
            TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.noResponse(call, "interrupted while waiting to retry", attempt, e);
        }
    }

    private static Supplier<String> authorization(RegistryClientConfig config) {
        if (config.basicAuthUserInfo().isPresent()) {
            String header = "Basic " + Base64.getEncoder().encodeToString(
                    config.basicAuthUserInfo().get().getBytes(StandardCharsets.UTF_8));
            return () -> header;
        }
        return config.bearerToken().<Supplier<String>>map(tokens -> () -> {
            String token = tokens.get();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("The bearer token supplier (" + RegistryClientConfig.BEARER_TOKEN
                        + ") gave no token");
            }
            return "Bearer " + token.strip();
        }).orElse(null);
    }
}
