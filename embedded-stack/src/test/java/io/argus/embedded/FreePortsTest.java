package io.argus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A port handed out before its listener binds it lies outside the range outgoing connections take theirs from. */
class FreePortsTest {

    @Test
    void aPortForLaterIsFreeAndBelowTheEphemeralRange() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "Linux names its ephemeral range there");
        int firstEphemeral;
        try (BufferedReader reader = Files.newBufferedReader(range)) {
            firstEphemeral = Integer.parseInt(reader.readLine().strip().split("\\s+")[0]);
        }
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.loopbackForLater();
            assertThat(port).isLessThan(firstEphemeral).isGreaterThanOrEqualTo(10_000);
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(bound.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
