package io.argus.bench.fold;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The event mixes the fold scenario folds ({@code --mix}), each on a topic of its own ({@link MainEventLog}). */
public enum Mix {

    /** Each job's events back to back, batch after batch ({@link EventMix#realistic}). */
    REALISTIC,
    /** 2,000 jobs in flight, their events interleaved ({@link SpreadMix}). */
    SPREAD;

    /** Its name on the command line and in the report: {@code realistic}, {@code spread}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mix named(String label) {
        return Arrays.stream(values()).filter(mix -> mix.label().equals(label)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown mix '" + label + "' (known: "
                + Arrays.stream(values()).map(Mix::label).collect(Collectors.joining(", ")) + ")"));
    }

    EventMix generate(int n, long seed) {
        return switch (this) {
            case REALISTIC -> EventMix.realistic(n, EventMix.DEFAULT_JOBS_PER_BATCH, seed);
            case SPREAD -> SpreadMix.generate(n, seed);
        };
    }
}
