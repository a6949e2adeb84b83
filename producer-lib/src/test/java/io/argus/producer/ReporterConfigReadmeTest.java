package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.config.DocumentedKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * producer-lib/README.md's configuration table and {@link ReporterConfig}'s keys name the same keys, variables and
 * defaults.
 */
class ReporterConfigReadmeTest {

    @Test
    void theReadmeDocumentsEveryKeyWithItsVariableAndDefault() {
        assertThat(DocumentedKeys.differences(DocumentedKeys.read(Path.of("README.md")), ReporterConfig.keys(),
            ReporterConfig.keys().names())).isEmpty();
    }
}
