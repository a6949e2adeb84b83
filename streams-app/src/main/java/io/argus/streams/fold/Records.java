package io.argus.streams.fold;

import org.apache.avro.specific.SpecificRecordBase;

/** Copies of the state records that the fold and the state serde make. */
public final class Records {

    private Records() {
    }

    /**
     * {@code empty}, given the same field values as {@code record}: a shallow copy. Enough for the fold's purity
     * because the rules replace a list, map or nested record they change and never change one in place (the
     * never-mutates property test holds them to it), and several times cheaper than Avro's deep copy, which the
     * processor would pay on every event.
     */
    public static <T extends SpecificRecordBase> T shallowCopy(T record, T empty) {
        int fields = record.getSchema().getFields().size();
        for (int i = 0; i < fields; i++) {
            empty.put(i, record.get(i));
        }
        return empty;
    }
}
