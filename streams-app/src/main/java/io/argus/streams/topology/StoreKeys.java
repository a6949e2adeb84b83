package io.argus.streams.topology;

/**
 * Keys of the per-batch stores. A batch's jobs and its history chunks share the prefix {@code batch_id + NUL}, so
 * one batch is one contiguous range and listing it is a prefix scan. NUL cannot occur in a batch id (validation
 * refuses it), so no batch's prefix is another's.
 */
public final class StoreKeys {

    static final char SEPARATOR = '\u0000';
    /** Chunk numbers are zero-padded to this width, so that their string order is their numeric order. */
    private static final int CHUNK_DIGITS = 10;

    private StoreKeys() {
    }

    public static String batchPrefix(String batchId) {
        return batchId + SEPARATOR;
    }

    public static String job(String batchId, String jobId) {
        return batchPrefix(batchId) + jobId;
    }

    /** The key of one chunk of a batch's history index. */
    public static String historyChunk(String batchId, long chunk) {
        // Not String.format: this runs for every event, and a formatter costs more than the rest of the key.
        String digits = Long.toString(chunk);
        StringBuilder key = new StringBuilder(batchId.length() + 1 + CHUNK_DIGITS).append(batchId).append(SEPARATOR);
        for (int i = digits.length(); i < CHUNK_DIGITS; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }
}
