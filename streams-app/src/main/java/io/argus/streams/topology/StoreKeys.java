package io.argus.streams.topology;

/**
 * Keys of the per-batch stores. A batch's jobs, journal entries and event ids share the prefix
 * {@code batch_id + NUL}, so one batch is one contiguous range and listing it is a prefix scan. NUL cannot occur in
 * a batch id (validation refuses it), so no batch's prefix is another's.
 */
public final class StoreKeys {

    static final char SEPARATOR = '\u0000';

    private StoreKeys() {
    }

    public static String batchPrefix(String batchId) {
        return batchId + SEPARATOR;
    }

    public static String job(String batchId, String jobId) {
        return batchPrefix(batchId) + jobId;
    }

    public static String eventId(String batchId, String eventId) {
        return batchPrefix(batchId) + eventId;
    }

    /** Offsets are zero-padded so that the journal's string order is the log's order. */
    public static String journal(String batchId, int partition, long offset) {
        return batchPrefix(batchId) + String.format("%05d-%020d", partition, offset);
    }

    /** The part of a composite key after the batch prefix. */
    public static String suffix(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
