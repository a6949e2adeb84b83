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
        // Not String.format: this runs for every event, and a formatter costs more than the rest of the key.
        StringBuilder key = new StringBuilder(batchId.length() + 27).append(batchId).append(SEPARATOR);
        appendZeroPadded(key, partition, 5);
        key.append('-');
        appendZeroPadded(key, offset, 20);
        return key.toString();
    }

    private static void appendZeroPadded(StringBuilder key, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            key.append('0');
        }
        key.append(digits);
    }

    /** The part of a composite key after the batch prefix. */
    public static String suffix(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
