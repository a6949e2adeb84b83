package io.argus.bench.fold;

import io.argus.schemas.avro.ArgusEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A mix's log while it is generated: at most {@code n} events, about {@value #DUPLICATES} of them sent a second time
 * right after, as a spool re-sends what it was not sure about: one of the last {@value #WINDOW} events again, the
 * same event with the same id.
 */
final class MixLog {

    static final double DUPLICATES = 0.02;
    private static final int WINDOW = 8;

    private final int n;
    private final Random random;
    private final List<ArgusEvent> events;
    private final List<ArgusEvent> recent = new ArrayList<>();
    private int duplicates;

    MixLog(int n, Random random) {
        this.n = n;
        this.random = random;
        this.events = new ArrayList<>(n);
    }

    boolean full() {
        return events.size() >= n;
    }

    /** Appends the event, and maybe a recent one again; nothing once the log is full. */
    void emit(ArgusEvent event) {
        if (full()) {
            return;
        }
        events.add(event);
        recent.add(event);
        if (recent.size() > WINDOW) {
            recent.remove(0);
        }
        if (random.nextDouble() < DUPLICATES && !full()) {
            events.add(recent.get(random.nextInt(recent.size())));
            duplicates++;
        }
    }

    /** A new sender (a batch's launcher): what it re-sends is its own. */
    void newSender() {
        recent.clear();
    }

    List<ArgusEvent> events() {
        return events;
    }

    int duplicates() {
        return duplicates;
    }
}
