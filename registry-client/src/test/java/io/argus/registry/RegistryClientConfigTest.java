package io.argus.registry;

import static io.argus.registry.RegistryClientConfig.BASIC_AUTH_USER_INFO;
import static io.argus.registry.RegistryClientConfig.BEARER_TOKEN;
import static io.argus.registry.RegistryClientConfig.CONNECT_TIMEOUT_MS;
import static io.argus.registry.RegistryClientConfig.KEYSTORE_LOCATION;
import static io.argus.registry.RegistryClientConfig.MAX_RETRIES;
import static io.argus.registry.RegistryClientConfig.REQUEST_TIMEOUT_MS;
import static io.argus.registry.RegistryClientConfig.RETRY_BACKOFF_MAX_MS;
import static io.argus.registry.RegistryClientConfig.RETRY_BACKOFF_MS;
import static io.argus.registry.RegistryClientConfig.TRUSTSTORE_LOCATION;
import static io.argus.registry.RegistryClientConfig.TRUSTSTORE_PASSWORD;
import static io.argus.registry.RegistryClientConfig.TRUSTSTORE_TYPE;
import static io.argus.registry.RegistryClientConfig.URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryClientConfigTest {

    private static Map<String, Object> settings(Object... keysAndValues) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(URL, "http://registry:8081");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    @Test
    void defaultsApplyWhenOnlyTheUrlIsGiven() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(Map.of(URL, "http://registry:8081",
                "bootstrap.servers", "ignored:9092"));

        assertThat(config.baseUrl()).hasToString("http://registry:8081");
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(10000));
        assertThat(config.callTimeout()).isEqualTo(Duration.ofMillis(30000));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.cacheCapacity()).isEqualTo(1000);
        assertThat(config.basicAuthUserInfo()).isEmpty();
        assertThat(config.bearerToken()).isEmpty();
        assertThat(config.truststore()).isEmpty();
        assertThat(config.keystore()).isEmpty();
    }

    @Test
    void trailingSlashesAreDroppedAndAPathIsKept() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(settings(URL, " http://127.0.0.1:8080/apis/ccompat/v7// "));

        assertThat(config.baseUrl()).hasToString("http://127.0.0.1:8080/apis/ccompat/v7");
    }

    @Test
    void numbersMayBeStringsOrNumbers() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(settings(CONNECT_TIMEOUT_MS, 1500,
                REQUEST_TIMEOUT_MS, " 2500 ", MAX_RETRIES, 0L, RETRY_BACKOFF_MS, "0", RETRY_BACKOFF_MAX_MS, "0"));

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.maxRetries()).isZero();
        assertThat(config.retryBackoffMax()).isZero();
    }

    @Test
    void storesTakeTheirTypeOrPkcs12() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(settings(TRUSTSTORE_LOCATION, "/etc/trust.p12",
                TRUSTSTORE_PASSWORD, "changeit", KEYSTORE_LOCATION, "/etc/me.jks",
                RegistryClientConfig.KEYSTORE_TYPE, "JKS"));

        assertThat(config.truststore()).hasValueSatisfying(store -> {
            assertThat(store.location()).isEqualTo(Path.of("/etc/trust.p12"));
            assertThat(store.type()).isEqualTo("PKCS12");
            assertThat(store.password()).isEqualTo("changeit");
        });
        assertThat(config.keystore()).hasValueSatisfying(store -> assertThat(store.type()).isEqualTo("JKS"));
        assertThat(config.toString()).doesNotContain("changeit");
    }

    @Test
    void aBearerTokenMayBeASupplier() {
        Supplier<String> tokens = () -> "rotating";
        RegistryClientConfig config = RegistryClientConfig.fromMap(settings(BEARER_TOKEN, tokens));

        assertThat(config.bearerToken()).hasValueSatisfying(supplier -> assertThat(supplier.get()).isEqualTo("rotating"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "argus.registry.connect.timeout.ms    | 5s",
            "argus.registry.connect.timeout.ms    | 0",
            "argus.registry.request.timeout.ms    | -1",
            "argus.registry.request.timeout.ms    | 1.5",
            "argus.registry.call.timeout.ms       | soon",
            "argus.registry.call.timeout.ms       | 9999999999",
            "argus.registry.max.retries           | three",
            "argus.registry.max.retries           | 99999999999",
            "argus.registry.retry.backoff.ms      | -5",
            "argus.registry.retry.backoff.max.ms  | 10",
            "argus.registry.cache.capacity        | 0",
            "argus.registry.url                   | ftp://registry",
            "argus.registry.url                   | http://a:8081,http://b:8081",
            "argus.registry.url                   | http://registry:8081/?x=1",
            "argus.registry.url                   | not a url",
    })
    void badValuesNameTheirKeyAndValue(String key, String value) {
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(value, value.strip()));
    }

    @Test
    void theUrlIsRequired() {
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(Map.of("bootstrap.servers", "kafka:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(URL);
    }

    @Test
    void aValueOfTheWrongTypeNamesTheKey() {
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(MAX_RETRIES, 2.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(MAX_RETRIES).hasMessageContaining("2.5");
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(TRUSTSTORE_LOCATION, "/etc/trust.p12", TRUSTSTORE_TYPE, 12)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TRUSTSTORE_TYPE);
    }

    @Test
    void secretsAreNeverEchoed() {
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(BASIC_AUTH_USER_INFO, "no-colon-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BASIC_AUTH_USER_INFO)
                .hasMessageNotContaining("no-colon-secret");
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(URL, "http://user:pw-secret@registry:8081")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(URL)
                .hasMessageNotContaining("pw-secret");
    }

    @Test
    void basicAndBearerTogetherAreRefused() {
        assertThatThrownBy(() -> RegistryClientConfig.fromMap(settings(BASIC_AUTH_USER_INFO, "u:p", BEARER_TOKEN, "t")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BASIC_AUTH_USER_INFO).hasMessageContaining(BEARER_TOKEN);
    }

    @Test
    void anUnreadableTruststoreNamesItsKeyWhenTheClientIsBuilt(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("trust.p12"), "not a key store");
        RegistryClientConfig missing = RegistryClientConfig.fromMap(settings(TRUSTSTORE_LOCATION, dir.resolve("absent.p12").toString()));
        RegistryClientConfig corrupt = RegistryClientConfig.fromMap(settings(TRUSTSTORE_LOCATION, garbage.toString(),
                TRUSTSTORE_PASSWORD, "pw-secret"));

        assertThatThrownBy(() -> new HttpSchemaRegistryClient(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TRUSTSTORE_LOCATION).hasMessageContaining("absent.p12");
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(corrupt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TRUSTSTORE_LOCATION).hasMessageContaining("trust.p12")
                .hasMessageNotContaining("pw-secret");
    }
}
