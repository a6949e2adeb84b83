package io.argus.streams.topology;

import io.argus.streams.fold.Effect;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fold did, counted for metrics: events by effect, dead letters by reason, and events re-routed to the
 * partition that owns their batch ({@link FoldProcessor}). Shared by all stream threads of one process; the query service exposes it. Under exactly-once an aborted transaction's records are processed
 * again, so these count work done, not distinct events.
 */
public final class FoldCounters {

    private final Map<Effect, LongAdder> byEffect = new EnumMap<>(Effect.class);
    private final Map<String, LongAdder> deadLettersByReason = new ConcurrentHashMap<>();
    private final LongAdder registryUnavailable = new LongAdder();
    private final LongAdder rerouted = new LongAdder();
    private final LongAdder alreadyCopied = new LongAdder();

    public FoldCounters() {
        for (Effect effect : Effect.values()) {
            byEffect.put(effect, new LongAdder());
        }
    }

    void folded(Effect effect) {
        byEffect.get(effect).increment();
    }

    void deadLettered(String reason) {
        deadLettersByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void registryUnavailable() {
        registryUnavailable.increment();
    }

    /** Times a task started again from its last commit because the registry did not answer for a record. */
    public long registryRetries() {
        return registryUnavailable.sum();
    }

    void rerouted() {
        rerouted.increment();
    }

    void passedOver() {
        alreadyCopied.increment();
    }

    public long events(Effect effect) {
        return byEffect.get(effect).sum();
    }

    public long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Every record the fold has handled, whatever became of it: grows as long as the fold moves. */
    public long records() {
        return byEffect.values().stream().mapToLong(LongAdder::sum).sum() + deadLetters() + reroutes()
            + alreadyCopied();
    }

    /** Misplaced events copied to the partition that owns their batch. */
    public long reroutes() {
        return rerouted.sum();
    }

    /** Misplaced events passed over because the log already holds their re-routed copy (a rebuild). */
    public long alreadyCopied() {
        return alreadyCopied.sum();
    }

    /** Dead letters by reason, for example {@code CORRUPT_PAYLOAD} or {@code attempt}. */
    public Map<String, Long> deadLettersByReason() {
        Map<String, Long> copy = new TreeMap<>();
        deadLettersByReason.forEach((reason, count) -> copy.put(reason, count.sum()));
        return copy;
    }
}
