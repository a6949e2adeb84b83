package io.argus.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Ports free on loopback right now, for listeners a test or a local stack binds itself a moment later. */
public final class FreePorts {

    private FreePorts() {
    }

    /** Linux's range for the local ports of outgoing connections, where the file says it. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below this, ports are often fixed ones of other software. */
    private static final int LOWEST = 10_000;

    /** A port no one listens on at this moment; the OS picks it. */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on loopback", e);
        }
    }

    /**
     * A free port for a listener that binds it seconds later (a child process): one below the range the OS takes
     * the local ports of outgoing connections from, so that none of the many connections a start opens can take it
     * in the meantime, as they could a port {@link #loopback()} found. Falls back to that where the range is unknown.
     */
    public static int loopbackForLater() {
        int firstEphemeral = firstEphemeralPort();
        for (int attempt = 0; attempt < 100 && firstEphemeral > LOWEST + 1; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, firstEphemeral);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        return loopback();
    }

    private static int firstEphemeralPort() {
        // Read as a stream: procfs files report a size of 0, and Files.readString then returns a piece of them.
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }
}
