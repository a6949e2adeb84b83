package io.argus.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.streams.view.ViewJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte on a socket: request lines and headers no HTTP client would send. */
final class RawHttp {

    /** Status and body of an answer (the connection is closed after it). */
    record Answer(int status, String head, String body) {
        JsonNode json() {
            try {
                return ViewJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (ISO-8859-1 bytes, so any byte can be written) and reads the whole answer. */
    static Answer send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer send(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int blank = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.1 ") || blank < 0) {
                throw new IllegalStateException("not an HTTP answer: " + answer);
            }
            String head = answer.substring(0, blank);
            String body = answer.substring(blank + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Answer(Integer.parseInt(answer.substring(9, 12)), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
