package io.argus.streams.fold;

import java.time.Instant;

/**
 * The bounds that keep every state record far below what its changelog topic accepts (1 MiB by default), whatever
 * any client writes to the log. Identifiers and structured values over a bound make the event invalid (dead letter,
 * HTTP 400: {@link EventValidator}); free text over a bound is cut with a visible marker ({@link #text}); lists in
 * the records keep their newest entries up to a cap. With these, the largest job record is about 500 KB and the
 * largest batch record about 300 KB ({@code RecordBoundsTest} folds the worst case and measures it).
 */
public final class Limits {

    public static final int EVENT_ID_CHARS = 128;
    public static final int BATCH_ID_CHARS = 256;
    public static final int JOB_ID_CHARS = 512;
    public static final int MAP_ENTRIES = 64;
    public static final int MAP_KEY_CHARS = 128;
    public static final int PARAM_VALUE_CHARS = 1_024;
    public static final int RESULT_CHARS = 65_536;
    public static final int URI_CHARS = 2_048;
    public static final int SHORT_TEXT_CHARS = 256;

    /**
     * Event times must fall within years 0001 to 9999: what ISO-8601 writes with four digits, and what every client
     * of the API can parse back. Checked at ingest and in the fold alike.
     */
    public static final Instant EARLIEST_TS = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST_TS = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Failure messages, commands and reasons: kept up to this many characters, then marked as cut. */
    public static final int MESSAGE_CHARS = 2_000;
    public static final int COMMAND_CHARS = 4_096;

    /**
     * The newest attempts whose marks, failures, decisions and history entries a job keeps (per attempt at most one
     * failure, two decisions and one history entry per event type). Events of older attempts change nothing.
     */
    public static final int ATTEMPTS_KEPT = 32;
    /** Ranks one failure lists; reports from further ranks are counted as the same failure. */
    public static final int RANKS_KEPT = 1_024;
    /** Ids of rank-less reports one failure keeps; further rank-less reports are the same failure. */
    public static final int REPORT_IDS_KEPT = 16;
    /** Launches a batch keeps: the first and the newest. */
    public static final int LAUNCHES_KEPT = 1_000;
    /** Ids of batch-level events (batch_done, stop_requested) a batch keeps. */
    public static final int BATCH_EVENT_IDS_KEPT = 256;

    private Limits() {
    }

    /** The text itself when short enough; else its first {@code max} characters and a marker saying what was cut. */
    public static String text(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int keep = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, keep) + " [cut by Argus: " + (value.length() - keep) + " more characters]";
    }
}
