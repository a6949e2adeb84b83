package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import java.util.EnumMap;
import java.util.Map;

/**
 * The bench's main event logs: N events of each {@link Mix} on a 3-partition topic of its own, each filled once per
 * bench run by whichever scenario needs it first (the fold, the rebuild).
 */
public final class MainEventLog {

    static final long SEED = 20261123L;
    static final int PARTITIONS = 3;

    private final Map<Mix, EventLog.Filled> filled = new EnumMap<>(Mix.class);

    /** The realistic mix's topic, filled on first use. */
    public EventLog.Filled filled(BenchContext context) {
        return filled(context, Mix.REALISTIC);
    }

    /** The mix's topic, filled on first use. */
    public synchronized EventLog.Filled filled(BenchContext context, Mix mix) {
        if (!filled.containsKey(mix)) {
            EventMix events = mix.generate(context.events(), SEED);
            context.progress("%s log: %s", mix.label(), events.describe());
            filled.put(mix, EventLog.fill(context.stack().kafka(), context.stack().registryUrl(), prefix(mix),
                PARTITIONS, events.events()));
            context.progress("%s log: filled %s", mix.label(), filled.get(mix));
        }
        return filled.get(mix);
    }

    /** The topics prefix of the mix's log, for the services that fold it. */
    static String prefix(Mix mix) {
        return "bench-" + mix.label() + ".";
    }
}
