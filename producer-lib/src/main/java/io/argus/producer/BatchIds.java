package io.argus.producer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Batch ids derived from what a run is, so that relaunching the same experiment of the same commit lands on the same
 * batch (and resumes it) without anyone copying an id around.
 *
 * <p>The id is {@code <prefix>-<16 hex>}: the first 8 bytes of SHA-256 over project, experiment name and git sha,
 * each written as its UTF-8 length (4 bytes, big-endian) followed by its UTF-8 bytes. The lengths make the encoding
 * unambiguous: ("ab", "c") and ("a", "bc") hash different bytes. The prefix is a label only and is not hashed.
 *
 * <p>64 bits keep ids short; by the birthday bound two of n distinct runs share an id with probability about
 * n^2 / 2^65: one in 37 million at a million batches, 1% at 6.1e8 batches (README).
 */
public final class BatchIds {

    public static final String DEFAULT_PREFIX = "bench";
    /** Hashed in place of the sha when git or a repository is absent. */
    public static final String NO_GIT = "no-git";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._]+(-[A-Za-z0-9._]+)*");
    private static final int HASH_BYTES = 8;

    private BatchIds() {
    }

    /** The id of this experiment at the working directory's git commit ({@code git rev-parse HEAD}). */
    public static String derive(String project, String experimentName) {
        return derive(project, experimentName, null, DEFAULT_PREFIX);
    }

    /**
     * @param gitSha the commit; null asks {@code git rev-parse HEAD} in the working directory (bounded in time),
     *               and {@value #NO_GIT} is used when git or a repository is absent
     * @param prefix letters, digits, '.', '_' and inner '-'; it shows in URLs and Kafka keys
     */
    public static String derive(String project, String experimentName, String gitSha, String prefix) {
        requireText(project, "project");
        requireText(experimentName, "experimentName");
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must be letters, digits, '.', '_' and inner '-', got '"
                + prefix + "'");
        }
        String sha = gitSha != null ? gitSha : GitSha.ofWorkingDirectory().orElse(NO_GIT);
        byte[] digest = sha256(lengthPrefixed(project, experimentName, sha));
        return prefix + "-" + HexFormat.of().formatHex(digest, 0, HASH_BYTES);
    }

    /** Each field as a 4-byte big-endian length, then its UTF-8 bytes. */
    static byte[] lengthPrefixed(String... fields) {
        byte[][] encoded = new byte[fields.length][];
        int size = 0;
        for (int i = 0; i < fields.length; i++) {
            encoded[i] = fields[i].getBytes(StandardCharsets.UTF_8);
            size += Integer.BYTES + encoded[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] field : encoded) {
            out.putInt(field.length).put(field);
        }
        return out.array();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
