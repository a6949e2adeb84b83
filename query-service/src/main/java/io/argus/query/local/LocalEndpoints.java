package io.argus.query.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Where the local stack of a data directory listens, as the process running it wrote to {@value #FILE} there: the
 * registry takes a free port at every start, so {@code rebuild} and {@code verify} learn it from this file. The
 * pid ties the file to the process holding the data directory's lock; a file left by a killed process is ignored.
 */
record LocalEndpoints(long pid, String bootstrapServers, Optional<String> registryUrl) {

    static final String FILE = "endpoints.properties";
    private static final String PID = "pid";
    private static final String BOOTSTRAP = "bootstrap.servers";
    private static final String REGISTRY = "argus.registry.url";

    /** Replaces the file at once, so a reader sees the old endpoints or the new ones, never half of them. */
    void write(Path dataDir) {
        Properties properties = new Properties();
        properties.setProperty(PID, Long.toString(pid));
        properties.setProperty(BOOTSTRAP, bootstrapServers);
        registryUrl.ifPresent(url -> properties.setProperty(REGISTRY, url));
        Path file = dataDir.resolve(FILE);
        Path next = dataDir.resolve(FILE + ".next");
        try {
            try (OutputStream out = Files.newOutputStream(next)) {
                properties.store(out, "Written by the local Argus while it runs: where its Kafka and registry listen");
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dataDir.resolve(FILE), e);
        }
    }

    /** The endpoints of the process {@code owner} that holds the data directory, when it has written them. */
    static LocalEndpoints of(Path dataDir, OptionalLong owner) {
        Path file = dataDir.resolve(FILE);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw notYet(dataDir, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        LocalEndpoints endpoints = new LocalEndpoints(Long.parseLong(properties.getProperty(PID, "-1")),
            properties.getProperty(BOOTSTRAP), Optional.ofNullable(properties.getProperty(REGISTRY)));
        if (endpoints.bootstrapServers() == null || (owner.isPresent() && owner.getAsLong() != endpoints.pid())) {
            throw notYet(dataDir, owner);
        }
        return endpoints;
    }

    private static IllegalStateException notYet(Path dataDir, OptionalLong owner) {
        return new IllegalStateException("Argus runs on " + dataDir
            + (owner.isPresent() ? " (pid " + owner.getAsLong() + ")" : "") + " but has not written " + FILE
            + " yet: wait until it has started and try again (a version that never writes it must be stopped "
            + "first; the command then starts Kafka on the data itself)");
    }
}
