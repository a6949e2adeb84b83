package io.argus.streams.app;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The digest of a key-value store, fed its changelog one record at a time in log order, without keeping values:
 * <pre>
 * entry(k, v) = SHA-256(len(k) || k || len(v) || v)   lengths as 4-byte big-endian, read as a 256-bit number
 * digest      = sum of entry(k, v) mod 2^256 over every key k whose latest record v is not a tombstone
 * </pre>
 * A sum does not depend on the order of its terms, so the digest is that of the store's contents, however the
 * changelog reached them. To take an overwritten or deleted entry back out, it keeps, for each live key, the first
 * 16 bytes of SHA-256(k) and entry(k, v): 48 bytes of hashes per key, whatever the size of the values.
 */
final class ChangelogDigest {

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private final MessageDigest sha256 = newSha256();
    private final Map<KeyHash, byte[]> entries = new HashMap<>();
    private BigInteger sum = BigInteger.ZERO;

    /** The next changelog record: a put, or a tombstone when {@code value} is null. */
    void apply(byte[] key, byte[] value) {
        KeyHash id = KeyHash.of(sha256.digest(key));
        byte[] entry = value == null ? null : entry(key, value);
        byte[] previous = entry == null ? entries.remove(id) : entries.put(id, entry);
        if (previous != null) {
            sum = sum.subtract(new BigInteger(1, previous));
        }
        if (entry != null) {
            sum = sum.add(new BigInteger(1, entry));
        }
        sum = sum.mod(MODULUS);
    }

    /** How many keys the store holds now. */
    long keys() {
        return entries.size();
    }

    /** The digest as 64 hex digits. */
    String hex() {
        return String.format("%064x", sum);
    }

    private byte[] entry(byte[] key, byte[] value) {
        // Length-prefixed, so that no other split of the same bytes into key and value has the same entry.
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(key.length).array());
        sha256.update(key);
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
        sha256.update(value);
        return sha256.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The first 128 bits of a key's SHA-256: distinct for distinct keys unless a store holds about 2^64 of them. */
    private record KeyHash(long high, long low) {

        static KeyHash of(byte[] sha256) {
            ByteBuffer bytes = ByteBuffer.wrap(sha256);
            return new KeyHash(bytes.getLong(), bytes.getLong());
        }
    }
}
