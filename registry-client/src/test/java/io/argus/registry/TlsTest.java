package io.argus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS against a loopback HTTPS failure injector (it answers 401 to everything, so a 401 proves the
 * handshake passed). Certificates are made with the JDK's keytool.
 */
class TlsTest {

    private static final String PASSWORD = "test-pass";
    private static final String UNAUTHORIZED = "{\"error_code\":40101,\"message\":\"Unauthorized\"}";

    @TempDir
    static Path dir;

    private static Path serverKeys;
    private static Path clientKeys;
    private static Path trustsServer;
    private static Path trustsClient;

    @BeforeAll
    static void makeCertificates() throws Exception {
        serverKeys = keyPair("server");
        clientKeys = keyPair("client");
        trustsServer = truststoreFor("server", serverKeys);
        trustsClient = truststoreFor("client", clientKeys);
    }

    @Test
    void aTruststoreLetsTheClientTrustTheRegistry() throws Exception {
        try (LoopbackServer server = LoopbackServer.answeringTls(tls(false), 401, UNAUTHORIZED);
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.builder()
                     .url(server.url()).maxRetries(0)
                     .truststore(new RegistryClientConfig.Store(trustsServer, PASSWORD, "PKCS12")).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.compatibilityLevel(Optional.empty()));

            assertThat(e.httpStatus()).isEqualTo(401);
        }
    }

    @Test
    void withoutTheTruststoreTheHandshakeFails() throws Exception {
        try (LoopbackServer server = LoopbackServer.answeringTls(tls(false), 401, UNAUTHORIZED);
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.builder()
                     .url(server.url()).maxRetries(0).build())) {
            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.compatibilityLevel(Optional.empty()));

            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(server.seen()).isEmpty();
        }
    }

    @Test
    void aKeystoreGivesTheClientCertificateForMutualTls() throws Exception {
        try (LoopbackServer server = LoopbackServer.answeringTls(tls(true), 401, UNAUTHORIZED)) {
            RegistryClientConfig.Store trust = new RegistryClientConfig.Store(trustsServer, PASSWORD, "PKCS12");
            try (HttpSchemaRegistryClient withCertificate = new HttpSchemaRegistryClient(RegistryClientConfig.builder()
                    .url(server.url()).maxRetries(0).truststore(trust)
                    .keystore(new RegistryClientConfig.Store(clientKeys, PASSWORD, "PKCS12")).build());
                 HttpSchemaRegistryClient without = new HttpSchemaRegistryClient(RegistryClientConfig.builder()
                         .url(server.url()).maxRetries(0).truststore(trust).build())) {
                assertThat(catchThrowableOfType(SchemaRegistryException.class,
                        () -> withCertificate.compatibilityLevel(Optional.empty())).httpStatus()).isEqualTo(401);
                assertThat(catchThrowableOfType(SchemaRegistryException.class,
                        () -> without.compatibilityLevel(Optional.empty())).httpStatus())
                        .isEqualTo(SchemaRegistryException.NO_RESPONSE);
                assertThat(server.seen()).hasSize(1);
            }
        }
    }

    @Test
    void aGivenSslContextIsUsedAsItIs() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustsServer));
        context.init(null, trust.getTrustManagers(), null);
        try (LoopbackServer server = LoopbackServer.answeringTls(tls(false), 401, UNAUTHORIZED);
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.builder()
                     .url(server.url()).maxRetries(0).sslContext(context).build())) {
            assertThat(catchThrowableOfType(SchemaRegistryException.class,
                    () -> client.compatibilityLevel(Optional.empty())).httpStatus()).isEqualTo(401);
        }
    }

    private static HttpsConfigurator tls(boolean needClientCertificate) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(serverKeys), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustsClient));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientCertificate);
                params.setSSLParameters(parameters);
            }
        };
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static Path keyPair(String name) throws Exception {
        Path store = dir.resolve(name + "-keys.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    private static Path truststoreFor(String name, Path keys) throws Exception {
        Path certificate = dir.resolve(name + ".crt");
        Path store = dir.resolve("trusts-" + name + ".p12");
        keytool("-exportcert", "-alias", name, "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD);
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
