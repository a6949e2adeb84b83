package io.argus.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast ISO text is Instant's own, for any millis: edges of days, years, the epoch, and outside 0000-9999. */
class IsoTimeTest {

    @Test
    void writesWhatInstantWrites() {
        long[] edges = {0, 1, -1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000L,
            1_764_000_360_123L, -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L,
            253_402_300_800_000L, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000};
        for (long millis : edges) {
            assertThat(IsoTime.of(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            assertThat(IsoTime.of(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }
}
