package io.argus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on loopback right now, for listeners a test or a local stack binds itself a moment later. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port no one listens on at this moment; the OS picks it. */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on loopback", e);
        }
    }
}
