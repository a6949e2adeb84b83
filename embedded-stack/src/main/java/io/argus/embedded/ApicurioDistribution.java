package io.argus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An unpacked {@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all}: Registry 2.x ships one
 * {@code *-runner.jar} (runs on JDK 17), Registry 3.x a Quarkus fast-jar {@code quarkus-app/quarkus-run.jar}
 * (needs JDK 21+).
 */
public final class ApicurioDistribution {

    public static final String HOME_PROPERTY = "argus.apicurio.home";
    public static final String HOME_ENV = "ARGUS_APICURIO_HOME";

    private static final String HOW_TO_FIX = "Run `mvn generate-test-resources` (the root pom's unpack-apicurio"
            + " execution unpacks the registry into target/apicurio-<version>), or point -D" + HOME_PROPERTY
            + " or " + HOME_ENV + " at an unpacked apicurio-registry-app tar.gz.";

    private final Path home;
    private final Path launcherJar;
    private final int minimumJavaVersion;

    private ApicurioDistribution(Path home, Path launcherJar, int minimumJavaVersion) {
        this.home = home;
        this.launcherJar = launcherJar;
        this.minimumJavaVersion = minimumJavaVersion;
    }

    /** From the system property {@value #HOME_PROPERTY}, else the environment variable {@value #HOME_ENV}. */
    public static ApicurioDistribution locate() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(HOME_ENV);
        }
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("No Apicurio Registry distribution configured: neither the system"
                    + " property " + HOME_PROPERTY + " nor the environment variable " + HOME_ENV + " is set. "
                    + HOW_TO_FIX);
        }
        return at(Path.of(configured));
    }

    /** The distribution unpacked in {@code home}. */
    public static ApicurioDistribution at(Path home) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        if (!Files.isDirectory(absoluteHome)) {
            throw new IllegalStateException("Apicurio Registry distribution not found: " + absoluteHome
                    + " is not a directory. " + HOW_TO_FIX);
        }
        Path fastJar = absoluteHome.resolve("quarkus-app").resolve("quarkus-run.jar");
        if (Files.isRegularFile(fastJar)) {
            return new ApicurioDistribution(absoluteHome, fastJar, 21);
        }
        List<Path> runners = runnerJars(absoluteHome);
        if (runners.size() == 1) {
            return new ApicurioDistribution(absoluteHome, runners.get(0), 17);
        }
        if (runners.size() > 1) {
            throw new IllegalStateException("Several *-runner.jar in " + absoluteHome + ": " + runners
                    + ". Unpack one Apicurio Registry version per directory.");
        }
        throw new IllegalStateException("No Apicurio Registry launcher in " + absoluteHome
                + ": looked for *-runner.jar (Registry 2.x) and quarkus-app/quarkus-run.jar (Registry 3.x). "
                + HOW_TO_FIX);
    }

    private static List<Path> runnerJars(Path home) {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + home, e);
        }
    }

    public Path home() {
        return home;
    }

    /** The jar to start with {@code java -jar}. */
    public Path launcherJar() {
        return launcherJar;
    }

    /** Registry 3.x is built for Java 21; starting it on 17 fails with an obscure class version error. */
    public int minimumJavaVersion() {
        return minimumJavaVersion;
    }

    @Override
    public String toString() {
        return "Apicurio Registry at " + launcherJar;
    }
}
