package io.argus.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.avro.ArgusEvent;
import io.argus.schemas.avro.JobDone;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool file on its own: order, delivery progress, torn and damaged tails, the cap, one owner. */
class SpoolTest {

    private static final long CAP = 1 << 20;
    private final Events events = new Events("b-spool", "test/1/x", Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void eventsComeBackInOrderWithTheirIdsAndTheFileEmptiesOnceAllAreDelivered() throws IOException {
        List<ArgusEvent> written = jobsDone(5);
        try (Spool spool = Spool.open(dir, CAP)) {
            spool.append(written.subList(0, 2), false);
            spool.append(written.subList(2, 5), true);
            assertThat(spool.pendingCount()).isEqualTo(5);

            Spool.Pending first = spool.readPending(3);
            assertThat(first.events()).containsExactlyElementsOf(written.subList(0, 3));
            spool.markDelivered(first);
            assertThat(spool.pendingCount()).isEqualTo(2);
            Spool.Pending rest = spool.readPending(100);
            assertThat(rest.events()).containsExactlyElementsOf(written.subList(3, 5));
            spool.markDelivered(rest);
            assertThat(spool.hasPending()).isFalse();
        }
        assertThat(Files.size(dir.resolve(Spool.EVENTS_FILE))).isZero();
        assertThat(dir.resolve(Spool.POSITION_FILE)).doesNotExist();
    }

    @Test
    void aReopenedSpoolResumesAfterWhatWasDelivered() {
        List<ArgusEvent> written = jobsDone(4);
        try (Spool spool = Spool.open(dir, CAP)) {
            spool.append(written, true);
            spool.markDelivered(spool.readPending(1));
        }
        try (Spool reopened = Spool.open(dir, CAP)) {
            assertThat(reopened.pendingCount()).isEqualTo(3);
            assertThat(reopened.readPending(100).events()).containsExactlyElementsOf(written.subList(1, 4));
        }
    }

    @Test
    void aTornTailIsSetAsideAndTheWholeRecordsBeforeItAreKept() throws IOException {
        List<ArgusEvent> written = jobsDone(3);
        try (Spool spool = Spool.open(dir, CAP)) {
            spool.append(written, true);
        }
        // A crash in the middle of an append: a header announcing 500 bytes, and only 7 of them.
        Files.write(dir.resolve(Spool.EVENTS_FILE), new byte[] {0, 0, 1, (byte) 244, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9, 9},
            StandardOpenOption.APPEND);

        ArgusEvent later = jobsDone(1).get(0);
        try (Spool recovered = Spool.open(dir, CAP)) {
            assertThat(recovered.pendingCount()).isEqualTo(3);
            recovered.append(List.of(later), true);
            assertThat(recovered.readPending(100).events())
                .containsExactlyElementsOf(Stream.concat(written.stream(), Stream.of(later)).toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                .anySatisfy(name -> assertThat(name).startsWith(Spool.EVENTS_FILE + ".corrupt-"));
        }
    }

    @Test
    void aRecordWithABadChecksumEndsTheReadableSpool() throws IOException {
        List<ArgusEvent> written = jobsDone(3);
        try (Spool spool = Spool.open(dir, CAP)) {
            spool.append(written, true);
        }
        Path file = dir.resolve(Spool.EVENTS_FILE);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(raw.length() - 3);
            raw.write(0x5a ^ raw.read());
        }
        try (Spool recovered = Spool.open(dir, CAP)) {
            assertThat(recovered.readPending(100).events()).containsExactlyElementsOf(written.subList(0, 2));
        }
    }

    @Test
    void aFullSpoolRefusesWithAClearErrorAndKeepsWhatItHas() {
        try (Spool spool = Spool.open(dir, 600)) {
            assertThatThrownBy(() -> {
                for (ArgusEvent event : jobsDone(10)) {
                    spool.append(List.of(event), false);
                }
            }).isInstanceOf(SpoolFullException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining(ReporterConfig.SPOOL_MAX_BYTES);
            int kept = spool.pendingCount();
            assertThat(kept).isPositive();
            assertThat(spool.readPending(100).events()).hasSize(kept);
        }
    }

    @Test
    void anInterruptedCallerStillSpoolsAndKeepsItsInterrupt() {
        List<ArgusEvent> written = jobsDone(2);
        try (Spool spool = Spool.open(dir, CAP)) {
            Thread.currentThread().interrupt();
            spool.append(written.subList(0, 1), true);
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            spool.append(written.subList(1, 2), true);
            assertThat(spool.readPending(10).events()).containsExactlyElementsOf(written);
        }
    }

    @Test
    void oneSpoolDirectoryHasOneOwner() {
        try (Spool owner = Spool.open(dir, CAP)) {
            assertThatThrownBy(() -> Spool.open(owner.dir(), CAP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another Reporter");
        }
        Spool.open(dir, CAP).close();
    }

    private List<ArgusEvent> jobsDone(int count) {
        return IntStream.range(0, count)
            .mapToObj(i -> events.wrap(new JobDone("job-" + i, 1, Map.of("mae", 0.1 * i), "{\"i\":" + i + "}", null)))
            .toList();
    }
}
