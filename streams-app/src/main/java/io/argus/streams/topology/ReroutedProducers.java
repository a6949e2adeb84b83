package io.argus.streams.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producers the fold has already warned about sending misplaced events, so each is logged once and not once per
 * event. Shared by every task of a process; bounded, forgetting the longest-unseen producer first, since producer
 * names include a launch id and accumulate.
 */
final class ReroutedProducers {

    static final int REMEMBERED = 1024;

    private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** True the first time {@code producer} is seen (or seen again after being forgotten). */
    synchronized boolean firstTime(String producer) {
        return seen.put(producer, Boolean.TRUE) == null;
    }
}
