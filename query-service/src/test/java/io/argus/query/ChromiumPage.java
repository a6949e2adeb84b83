package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.streams.view.ViewJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A live page in Debian's headless Chromium, driven over the DevTools protocol (a WebSocket): unlike
 * {@code --dump-dom}, the page keeps running in real time, so a test can click, wait for it to change and time it.
 */
final class ChromiumPage implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private ChromiumPage(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts Chromium on an empty page of the given size, with a new profile under {@code workDir}. */
    static ChromiumPage open(Path chromium, List<String> flags, Path workDir, int width, int height)
        throws Exception {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = new ArrayList<>();
        command.add(chromium.toString());
        command.addAll(flags);
        command.add("--user-data-dir=" + profile);
        command.add("--remote-debugging-port=0");
        command.add("--window-size=" + width + "," + height);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = URI.create(devtoolsUrl(process));
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageUrl = null;
            for (JsonNode target : ViewJson.mapper().readTree(list)) {
                if (target.path("type").asText().equals("page")) {
                    pageUrl = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageUrl == null) {
                throw new IllegalStateException("chromium has no page target: " + list);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener)
                .get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            ChromiumPage page = new ChromiumPage(process, profile, socket);
            listener.page = page;
            page.call("Page.enable", Map.of());
            page.call("Runtime.enable", Map.of());
            return page;
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    /** Chromium prints its DevTools address on stderr once it listens; the rest of stderr is drained. */
    private static String devtoolsUrl(Process process) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    } else if (!url.isDone()) {
                        seen.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            url.completeExceptionally(new IllegalStateException("chromium ended before listening:\n" + seen));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return url.get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates a JavaScript expression in the page (a promise is awaited); returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
            "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A click at a point of the page, as a user's mouse makes it (pressed and released). */
    void click(double x, double y) throws Exception {
        for (String type : List.of("mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Moves the mouse to a point of the page (hover). */
    void move(double x, double y) throws Exception {
        call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    }

    void screenshot(Path png) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = ViewJson.mapper().createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", ViewJson.mapper().valueToTree(params));
        socket.sendText(ViewJson.mapper().writeValueAsString(message), true).get(CALL_DEADLINE.toMillis(),
            TimeUnit.MILLISECONDS);
        JsonNode reply = answer.get(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    private void received(String text) {
        try {
            JsonNode message = ViewJson.mapper().readTree(text);
            CompletableFuture<JsonNode> waiting = message.has("id") ? calls.remove(message.path("id").asInt()) : null;
            if (waiting != null) {
                waiting.complete(message);
            }
        } catch (IOException e) {
            throw new IllegalStateException("DevTools sent something that is not JSON", e);
        }
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Collects a message's fragments (a screenshot comes in many) and hands whole messages to the page. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile ChromiumPage page;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                page.received(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
