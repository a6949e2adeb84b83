package io.argus.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * How to reach a schema registry: URL, credentials, TLS, timeouts and retries. Immutable; build it with
 * {@link #builder()} or from Kafka-style settings with {@link #fromMap(Map)}. Every invalid value is rejected with an
 * {@link IllegalArgumentException} that names the setting's key (and its value, unless it is a secret).
 */
public final class RegistryClientConfig {

    public static final String PREFIX = "argus.registry.";
    public static final String URL = PREFIX + "url";
    public static final String BASIC_AUTH_USER_INFO = PREFIX + "basic.auth.user.info";
    public static final String BEARER_TOKEN = PREFIX + "bearer.token";
    public static final String TRUSTSTORE_LOCATION = PREFIX + "ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = PREFIX + "ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = PREFIX + "ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = PREFIX + "ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = PREFIX + "ssl.keystore.password";
    public static final String KEYSTORE_TYPE = PREFIX + "ssl.keystore.type";
    public static final String CONNECT_TIMEOUT_MS = PREFIX + "connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = PREFIX + "request.timeout.ms";
    public static final String CALL_TIMEOUT_MS = PREFIX + "call.timeout.ms";
    public static final String MAX_RETRIES = PREFIX + "max.retries";
    public static final String RETRY_BACKOFF_MS = PREFIX + "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = PREFIX + "retry.backoff.max.ms";
    public static final String CACHE_CAPACITY = PREFIX + "cache.capacity";

    public static final String DEFAULT_STORE_TYPE = "PKCS12";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(5_000);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(10_000);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMillis(30_000);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofMillis(5_000);
    public static final int DEFAULT_CACHE_CAPACITY = 1_000;
    /** The longest timeout or backoff accepted, as in Kafka's int-valued {@code *.ms} settings (about 24.8 days). */
    public static final Duration MAX_DURATION = Duration.ofMillis(Integer.MAX_VALUE);

    /** A TLS key or trust store on disk. The password may be null (a trust store without integrity check). */
    public record Store(Path location, String password, String type) {
        public Store {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "Store[location=" + location + ", type=" + type + ", password=" + (password == null ? "none" : "[hidden]") + "]";
        }
    }

    private final URI baseUrl;
    private final String basicAuthUserInfo;
    private final Supplier<String> bearerToken;
    private final Store truststore;
    private final Store keystore;
    private final SSLContext sslContext;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration callTimeout;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final int cacheCapacity;

    private RegistryClientConfig(Builder b) {
        this.baseUrl = parseUrl(b.url);
        this.basicAuthUserInfo = b.basicAuthUserInfo;
        this.bearerToken = b.bearerToken;
        this.truststore = b.truststore;
        this.keystore = b.keystore;
        this.sslContext = b.sslContext;
        this.connectTimeout = positive(CONNECT_TIMEOUT_MS, b.connectTimeout);
        this.requestTimeout = positive(REQUEST_TIMEOUT_MS, b.requestTimeout);
        this.callTimeout = positive(CALL_TIMEOUT_MS, b.callTimeout);
        this.maxRetries = atLeast(MAX_RETRIES, b.maxRetries, 0);
        this.retryBackoff = notNegative(RETRY_BACKOFF_MS, b.retryBackoff);
        this.retryBackoffMax = notNegative(RETRY_BACKOFF_MAX_MS, b.retryBackoffMax);
        this.cacheCapacity = atLeast(CACHE_CAPACITY, b.cacheCapacity, 1);
        if (retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(RETRY_BACKOFF_MAX_MS + " (" + retryBackoffMax.toMillis()
                    + ") must not be less than " + RETRY_BACKOFF_MS + " (" + retryBackoff.toMillis() + ")");
        }
        if (basicAuthUserInfo != null) {
            int colon = basicAuthUserInfo.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password' (value hidden)");
            }
        }
        if (basicAuthUserInfo != null && bearerToken != null) {
            throw new IllegalArgumentException("Set either " + BASIC_AUTH_USER_INFO + " or " + BEARER_TOKEN + ", not both");
        }
        if (sslContext != null && (truststore != null || keystore != null)) {
            throw new IllegalArgumentException("Give either an SSLContext or " + TRUSTSTORE_LOCATION + "/"
                    + KEYSTORE_LOCATION + ", not both");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the {@code argus.registry.*} keys of a Kafka-style configuration map; other keys are ignored. Values may
     * be strings or numbers; {@link #BEARER_TOKEN} may also be a {@code Supplier<String>} for rotating tokens.
     */
    public static RegistryClientConfig fromMap(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        Builder b = builder();
        b.url(string(settings, URL, false));
        b.basicAuthUserInfo(string(settings, BASIC_AUTH_USER_INFO, true));
        Object bearer = settings.get(BEARER_TOKEN);
        if (bearer instanceof Supplier<?> supplier) {
            b.bearerToken(() -> {
                Object token = supplier.get();
                return token == null ? null : token.toString();
            });
        } else {
            b.bearerToken(string(settings, BEARER_TOKEN, true));
        }
        String truststoreLocation = string(settings, TRUSTSTORE_LOCATION, false);
        if (truststoreLocation != null) {
            b.truststore(new Store(path(TRUSTSTORE_LOCATION, truststoreLocation), string(settings, TRUSTSTORE_PASSWORD, true),
                    storeType(settings, TRUSTSTORE_TYPE)));
        }
        String keystoreLocation = string(settings, KEYSTORE_LOCATION, false);
        if (keystoreLocation != null) {
            b.keystore(new Store(path(KEYSTORE_LOCATION, keystoreLocation), string(settings, KEYSTORE_PASSWORD, true),
                    storeType(settings, KEYSTORE_TYPE)));
        }
        b.connectTimeout(millis(settings, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT));
        b.requestTimeout(millis(settings, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT));
        b.callTimeout(millis(settings, CALL_TIMEOUT_MS, DEFAULT_CALL_TIMEOUT));
        b.maxRetries((int) number(settings, MAX_RETRIES, DEFAULT_MAX_RETRIES, Integer.MAX_VALUE));
        b.retryBackoff(millis(settings, RETRY_BACKOFF_MS, DEFAULT_RETRY_BACKOFF));
        b.retryBackoffMax(millis(settings, RETRY_BACKOFF_MAX_MS, DEFAULT_RETRY_BACKOFF_MAX));
        b.cacheCapacity((int) number(settings, CACHE_CAPACITY, DEFAULT_CACHE_CAPACITY, Integer.MAX_VALUE));
        return b.build();
    }

    /** The base URL without a trailing slash, for example {@code http://host:8081} or {@code .../apis/ccompat/v7}. */
    public URI baseUrl() {
        return baseUrl;
    }

    public Optional<String> basicAuthUserInfo() {
        return Optional.ofNullable(basicAuthUserInfo);
    }

    public Optional<Supplier<String>> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    public Optional<Store> truststore() {
        return Optional.ofNullable(truststore);
    }

    public Optional<Store> keystore() {
        return Optional.ofNullable(keystore);
    }

    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The total time one client call may take, all attempts and backoffs included. */
    public Duration callTimeout() {
        return callTimeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public int cacheCapacity() {
        return cacheCapacity;
    }

    @Override
    public String toString() {
        return "RegistryClientConfig[url=" + baseUrl
                + ", auth=" + (basicAuthUserInfo != null ? "basic" : bearerToken != null ? "bearer" : "none")
                + ", truststore=" + truststore + ", keystore=" + keystore
                + ", sslContext=" + (sslContext != null ? "given" : "none")
                + ", connectTimeout=" + connectTimeout.toMillis() + "ms, requestTimeout=" + requestTimeout.toMillis()
                + "ms, callTimeout=" + callTimeout.toMillis() + "ms, maxRetries=" + maxRetries
                + ", retryBackoff=" + retryBackoff.toMillis() + "ms, retryBackoffMax=" + retryBackoffMax.toMillis()
                + "ms, cacheCapacity=" + cacheCapacity + "]";
    }

    private static URI parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL + " is required");
        }
        String trimmed = url.strip();
        if (trimmed.contains(",")) {
            throw new IllegalArgumentException(URL + " must be one URL, was '" + trimmed + "'");
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URL + " is not a valid URL, was '" + trimmed + "': " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(URL + " must be an http or https URL, was '" + trimmed + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(URL + " must not hold credentials; use " + BASIC_AUTH_USER_INFO);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(URL + " has no host, was '" + trimmed + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(URL + " must not have a query or fragment, was '" + trimmed + "'");
        }
        return uri;
    }

    private static Duration positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value.toMillis());
        }
        return notTooLong(key, value);
    }

    private static Duration notNegative(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, was " + value.toMillis());
        }
        return notTooLong(key, value);
    }

    private static Duration notTooLong(String key, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(key + " must be at most " + MAX_DURATION.toMillis() + " ms, was "
                    + value.toMillis());
        }
        return value;
    }

    private static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** The trimmed string value, null when absent or blank. Secrets are never echoed in error messages. */
    private static String string(Map<String, ?> settings, String key, boolean secret) {
        Object value = settings.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof CharSequence)) {
            throw new IllegalArgumentException(key + " must be a string, was a " + value.getClass().getName()
                    + (secret ? "" : " '" + value + "'"));
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    private static String storeType(Map<String, ?> settings, String key) {
        String type = string(settings, key, false);
        return type == null ? DEFAULT_STORE_TYPE : type;
    }

    private static Path path(String key, String location) {
        try {
            return Path.of(location);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " is not a valid path, was '" + location + "'", e);
        }
    }

    private static Duration millis(Map<String, ?> settings, String key, Duration defaultValue) {
        return Duration.ofMillis(number(settings, key, defaultValue.toMillis(), MAX_DURATION.toMillis()));
    }

    private static long number(Map<String, ?> settings, String key, long defaultValue, long max) {
        Object value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof CharSequence text && !text.toString().isBlank()) {
            try {
                parsed = Long.parseLong(text.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
            }
        } else {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
        }
        if (parsed < 0 || parsed > max) {
            throw new IllegalArgumentException(key + " must be between 0 and " + max + ", was '" + value + "'");
        }
        return parsed;
    }

    /** Collects settings; {@link #build()} validates them. Defaults are those of the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private String url;
        private String basicAuthUserInfo;
        private Supplier<String> bearerToken;
        private Store truststore;
        private Store keystore;
        private SSLContext sslContext;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration retryBackoffMax = DEFAULT_RETRY_BACKOFF_MAX;
        private int cacheCapacity = DEFAULT_CACHE_CAPACITY;

        private Builder() {
        }

        /** The registry's base URL, for example {@code http://127.0.0.1:8080/apis/ccompat/v7}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** HTTP basic credentials as {@code user:password}; null for none. */
        public Builder basicAuthUserInfo(String userInfo) {
            this.basicAuthUserInfo = userInfo;
            return this;
        }

        /** A static bearer token; null for none. */
        public Builder bearerToken(String token) {
            this.bearerToken = token == null ? null : () -> token;
            return this;
        }

        /** A bearer token asked for before every HTTP attempt, for tokens that rotate; null for none. */
        public Builder bearerToken(Supplier<String> tokens) {
            this.bearerToken = tokens;
            return this;
        }

        /** The trust store that holds the registry's CA; null for the JDK's default trust. */
        public Builder truststore(Store store) {
            this.truststore = store;
            return this;
        }

        /** The key store with this client's certificate, for mutual TLS; null for none. */
        public Builder keystore(Store store) {
            this.keystore = store;
            return this;
        }

        /** A ready TLS context, instead of trust and key stores. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long one HTTP attempt may wait for its answer. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long one client call may take in total, every attempt and backoff included. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** Retries after the first attempt; 0 disables retrying. */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /** The backoff before the first retry; it doubles for each further retry, up to the maximum, with jitter. */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = backoff;
            return this;
        }

        public Builder retryBackoffMax(Duration backoff) {
            this.retryBackoffMax = backoff;
            return this;
        }

        /** How many entries each of the client's caches (schema by id, id by subject and schema) holds. */
        public Builder cacheCapacity(int capacity) {
            this.cacheCapacity = capacity;
            return this;
        }

        public RegistryClientConfig build() {
            return new RegistryClientConfig(this);
        }
    }
}
