package io.argus.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A failure injector on loopback, not a registry: every request gets the same canned status and body (or no answer
 * at all), and the server records what it was sent.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server saw of one request. */
    record Seen(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue()))
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private LoopbackServer(HttpServer server, int status, String body, Map<String, String> headers) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, status, body, headers));
        server.start();
    }

    /** A server that answers every request with this status and body. */
    static LoopbackServer answering(int status, String body, Map<String, String> headers) {
        return new LoopbackServer(bind(), status, body, headers);
    }

    static LoopbackServer answering(int status, String body) {
        return answering(status, body, Map.of());
    }

    /** A server that reads every request and never answers (until closed). */
    static LoopbackServer silent() {
        return new LoopbackServer(bind(), -1, null, Map.of());
    }

    /** An HTTPS server with this TLS configuration that answers every request with this status and body. */
    static LoopbackServer answeringTls(HttpsConfigurator tls, int status, String body) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(tls);
            return new LoopbackServer(server, status, body, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String requestBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), requestBody));
            if (status < 0) {
                release.await();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            headers.forEach(exchange.getResponseHeaders()::add);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpServer bind() {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
