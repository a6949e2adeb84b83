package io.argus.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context a {@link RegistryClientConfig} asks for. */
final class SslContexts {

    private SslContexts() {
    }

    /** The given context, one built from the configured stores, or empty for the JDK default. */
    static Optional<SSLContext> from(RegistryClientConfig config) {
        if (config.sslContext().isPresent()) {
            return config.sslContext();
        }
        if (config.truststore().isEmpty() && config.keystore().isEmpty()) {
            return Optional.empty();
        }
        TrustManager[] trust = config.truststore()
                .map(store -> trustManagers(store, RegistryClientConfig.TRUSTSTORE_LOCATION))
                .orElse(null);
        KeyManager[] keys = config.keystore()
                .map(store -> keyManagers(store, RegistryClientConfig.KEYSTORE_LOCATION))
                .orElse(null);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot build a TLS context from " + config.truststore().orElse(null)
                    + " and " + config.keystore().orElse(null) + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(RegistryClientConfig.Store store, String key) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(store, key));
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + store.location() + "' cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(RegistryClientConfig.Store store, String key) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(store, key), password(store));
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + store.location() + "' cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(RegistryClientConfig.Store store, String key) {
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(store.type());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + store.location() + "' has an unknown store type '"
                    + store.type() + "'", e);
        }
        try (InputStream in = Files.newInputStream(store.location())) {
            keyStore.load(in, password(store));
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + store.location() + "' (type " + store.type()
                    + ") cannot be read: " + e, e);
        }
    }

    private static char[] password(RegistryClientConfig.Store store) {
        return store.password() == null ? null : store.password().toCharArray();
    }
}
