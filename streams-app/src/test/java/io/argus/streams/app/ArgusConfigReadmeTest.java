package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.config.DocumentedKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * streams-app/README.md's configuration table and {@link ArgusConfig}'s keys name the same keys, variables and
 * defaults.
 */
class ArgusConfigReadmeTest {

    @Test
    void theReadmeDocumentsEveryKeyWithItsVariableAndDefault() {
        assertThat(DocumentedKeys.differences(DocumentedKeys.read(Path.of("README.md")), ArgusConfig.keys(),
            ArgusConfig.keys().names())).isEmpty();
    }
}
