package io.argus.streams.view;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Epoch millis as ISO-8601 UTC text, exactly as {@link Instant#toString()} writes them. A list of 10,000 jobs
 * writes some 40,000 times, and {@code Instant.toString()} (a general formatter) was a third of that list's server
 * time; this writes the digits directly.
 */
final class IsoTime {

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: outside, {@code Instant} writes signs and more digits. */
    private static final long MIN_MILLIS = -62_167_219_200_000L;
    private static final long MAX_MILLIS = 253_402_300_800_000L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoTime() {
    }

    static String of(long epochMillis) {
        if (epochMillis < MIN_MILLIS || epochMillis >= MAX_MILLIS) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int millis = millisOfDay % 1000;
        int seconds = millisOfDay / 1000;
        char[] text = new char[millis == 0 ? 20 : 24];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, seconds / 3600, 2);
        text[13] = ':';
        digits(text, 14, seconds / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, seconds % 60, 2);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, millis, 3);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
