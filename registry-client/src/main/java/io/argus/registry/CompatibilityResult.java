package io.argus.registry;

import java.util.List;

/** The registry's answer to a compatibility check: whether it passes and, when it does not, the reasons it gave. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
