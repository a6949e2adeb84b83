package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void journalKeysAreZeroPaddedSoTheirStringOrderIsTheLogsOrder() {
        assertThat(StoreKeys.journal("b", 2, 41)).isEqualTo("b\u000000002-00000000000000000041");
        assertThat(StoreKeys.journal("b", 0, Long.MAX_VALUE)).isEqualTo("b\u000000000-0" + Long.MAX_VALUE);

        List<String> inLogOrder = List.of(StoreKeys.journal("b", 0, 9), StoreKeys.journal("b", 0, 10),
            StoreKeys.journal("b", 0, 100_000), StoreKeys.journal("b", 1, 0), StoreKeys.journal("b", 11, 3));
        List<String> sorted = new ArrayList<>(inLogOrder);
        sorted.sort(null);
        assertThat(sorted).containsExactlyElementsOf(inLogOrder);
        assertThat(inLogOrder).allMatch(key -> StoreKeys.suffix(key).length() == 26);
    }
}
