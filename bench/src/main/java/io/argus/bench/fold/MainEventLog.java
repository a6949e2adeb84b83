package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.schemas.ArgusTopics;

/**
 * The bench's main event log: N events of the realistic mix in batches of 120 jobs, on a 3-partition topic, filled
 * once per bench run by whichever scenario needs it first (the fold, the rebuild).
 */
public final class MainEventLog {

    static final long SEED = 20261123L;
    static final int PARTITIONS = 3;
    static final String PREFIX = "bench-main.";

    private EventLog.Filled filled;

    /** The topic, filled on first use. */
    public synchronized EventLog.Filled filled(BenchContext context) {
        if (filled == null) {
            EventMix mix = EventMix.generate(context.events(), EventMix.DEFAULT_JOBS_PER_BATCH, SEED);
            context.progress("main log: %s", mix.describe());
            filled = EventLog.fill(context.stack().kafka(), context.stack().registryUrl(), PREFIX, PARTITIONS,
                mix.events());
            context.progress("main log: filled %s", filled);
        }
        return filled;
    }

    static String topic() {
        return PREFIX + ArgusTopics.EVENTS;
    }
}
