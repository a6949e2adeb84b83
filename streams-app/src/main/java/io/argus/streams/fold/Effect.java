package io.argus.streams.fold;

/** What one event did to the state. Only {@link #APPLIED} changes views; the others are kept for history and metrics. */
public enum Effect {
    /** The event changed the state. */
    APPLIED,
    /** The same event (or the same fact) was applied before: nothing changed. */
    DUPLICATE,
    /** The event belongs to an older attempt than the job's current one: recorded, not applied. */
    STALE,
    /** The event was valid but the rules leave the state alone (a relaunch of a done batch, a start of a done job). */
    IGNORED
}
