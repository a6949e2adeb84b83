package io.argus.teststack;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Unique names for topics, Streams application ids and state directories, so tests sharing one cluster never
 * see each other's data. The names use only characters Kafka allows in topic names ({@code [a-zA-Z0-9._-]}),
 * which are also safe in file names and group ids.
 */
public final class TestNames {

    private static final Pattern ILLEGAL = Pattern.compile("[^a-zA-Z0-9._-]");
    /** Kafka's topic name limit is 249; leave room for the suffix and for Streams' "-changelog" style suffixes. */
    private static final int MAX_PREFIX_LENGTH = 120;
    private static final AtomicLong COUNTER = new AtomicLong();

    private TestNames() {
    }

    /**
     * Returns {@code prefix-N-xxxxxx}: a counter keeps names unique within the JVM and readable in logs; the random
     * part keeps them unique across JVMs that share a broker or a directory. Illegal characters become '-'.
     */
    public static String unique(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank");
        }
        String clean = ILLEGAL.matcher(prefix.strip()).replaceAll("-");
        if (clean.length() > MAX_PREFIX_LENGTH) {
            clean = clean.substring(0, MAX_PREFIX_LENGTH);
        }
        String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        return clean + "-" + COUNTER.incrementAndGet() + "-" + random;
    }
}
