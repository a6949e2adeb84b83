package io.argus.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The digest of a store's contents, fed changelogs that reach the same or different contents in other ways. */
class ChangelogDigestTest {

    @Test
    void theSameContentsGiveTheSameDigestWhateverTheOrderAndTheOverwrites() {
        ChangelogDigest direct = digest(put("batch-a", "done"), put("batch-b", "running"), put("job-1", "failed"));
        ChangelogDigest winding = digest(put("job-1", "running"), put("batch-b", "running"), put("gone", "x"),
            put("batch-a", "running"), delete("gone"), put("job-1", "failed"), put("batch-a", "done"),
            delete("never-there"));

        assertThat(winding.hex()).isEqualTo(direct.hex()).hasSize(64);
        assertThat(winding.keys()).isEqualTo(direct.keys()).isEqualTo(3);
    }

    @Test
    void anyShuffleOfDistinctKeysGivesTheSameDigest() {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(put("job-" + i, "state-" + (i * 7919 % 1000)));
        }
        ChangelogDigest inOrder = digest(records.toArray(Record[]::new));
        Collections.shuffle(records, new Random(42));

        assertThat(digest(records.toArray(Record[]::new)).hex()).isEqualTo(inOrder.hex());
    }

    @Test
    void differentContentsGiveDifferentDigests() {
        String base = digest(put("a", "1"), put("b", "2")).hex();

        assertThat(digest(put("a", "1"), put("b", "3")).hex()).as("another value").isNotEqualTo(base);
        assertThat(digest(put("a", "2"), put("b", "1")).hex()).as("values swapped between keys").isNotEqualTo(base);
        assertThat(digest(put("a", "1"), put("c", "2")).hex()).as("another key").isNotEqualTo(base);
        assertThat(digest(put("a", "1")).hex()).as("a key missing").isNotEqualTo(base);
        assertThat(digest(put("a", "1"), put("b", "2"), put("b", "3")).hex()).as("the later value wins")
            .isNotEqualTo(base);
        assertThat(digest(put("a", "1"), put("b", "2"), delete("b")).hex()).as("deleted")
            .isEqualTo(digest(put("a", "1")).hex());
        assertThat(digest(put("ab", "c")).hex()).as("the split between key and value counts")
            .isNotEqualTo(digest(put("a", "bc")).hex());
    }

    @Test
    void anEmptyStoreIsZero() {
        ChangelogDigest empty = digest(put("a", "1"), delete("a"));

        assertThat(empty.hex()).isEqualTo("0".repeat(64));
        assertThat(empty.keys()).isZero();
    }

    private static ChangelogDigest digest(Record... records) {
        ChangelogDigest digest = new ChangelogDigest();
        for (Record record : records) {
            digest.apply(record.key(), record.value());
        }
        return digest;
    }

    private static Record put(String key, String value) {
        return new Record(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static Record delete(String key) {
        return new Record(key.getBytes(StandardCharsets.UTF_8), null);
    }

    private record Record(byte[] key, byte[] value) {
    }
}
