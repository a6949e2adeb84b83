package io.argus.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, for the load generator only: a sender thread owns one,
 * writes a request, reads the answer (Content-Length or chunked) and goes on. java.net.http.HttpClient hands each
 * request through a selector thread and an executor; on 2 cores that cost more CPU and latency than the service
 * spent answering (p99 269 ms for {@code /healthz} at 2,000 req/s, where wrk saw 18,000 req/s at p99 9 ms).
 * Not thread-safe. Loopback only, no TLS, no redirects.
 */
final class KeepAliveHttp implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 30_000;

    private final String host;
    private final int port;
    private final byte[] buffer = new byte[16 * 1024];
    private final StringBuilder line = new StringBuilder(128);
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveHttp(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    /** What came back: the status and, when asked for, the body. */
    record Answer(int status, String body) {
    }

    Answer get(String pathAndQuery, boolean keepBody) throws IOException {
        return exchange(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII), null, keepBody);
    }

    Answer post(String pathAndQuery, String contentType, byte[] body, boolean keepBody) throws IOException {
        byte[] head = ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: "
            + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(head, body, keepBody);
    }

    private Answer exchange(byte[] head, byte[] body, boolean keepBody) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(head);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(keepBody);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private Answer read(boolean keepBody) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            }
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                copy(size, kept);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // Trailers are not used by the service; read past them.
            }
        } else if (length >= 0) {
            copy(length, kept);
        } else {
            closeAfter = true; // Without a length, the body ends with the connection: not expected from Jetty.
        }
        if (closeAfter) {
            close();
        }
        return new Answer(status, kept == null ? "" : kept.toString(StandardCharsets.UTF_8));
    }

    private void copy(long bytes, ByteArrayOutputStream kept) throws IOException {
        for (long left = bytes; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the connection closed inside a body");
            }
            if (kept != null) {
                kept.write(buffer, 0, read);
            }
            left -= read;
        }
    }

    /** One header line, without its CRLF. */
    private String line() throws IOException {
        line.setLength(0);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed inside the headers");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a loopback socket: nothing to do about a failure.
            }
            socket = null;
        }
    }
}
