package io.argus.streams.fold;

/** Nullable epoch-millis helpers: state fields are plain longs so the fold never touches a clock or a zone. */
final class Timestamps {

    private Timestamps() {
    }

    /** The later of a nullable time and a time: taking the max keeps duplicates and reordering harmless. */
    static long latest(Long current, long candidate) {
        return current == null ? candidate : Math.max(current, candidate);
    }
}
