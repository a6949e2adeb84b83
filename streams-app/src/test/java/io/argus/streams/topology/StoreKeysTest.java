package io.argus.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void historyChunkKeysAreZeroPaddedSoTheirStringOrderIsTheirNumericOrder() {
        assertThat(StoreKeys.historyChunk("b", 41)).isEqualTo("b\u00000000000041");
        List<String> inOrder = List.of(StoreKeys.historyChunk("b", 0), StoreKeys.historyChunk("b", 9),
            StoreKeys.historyChunk("b", 10), StoreKeys.historyChunk("b", 100_000),
            StoreKeys.historyChunk("b", 9_999_999_999L));
        List<String> sorted = new ArrayList<>(inOrder);
        sorted.sort(WriteBackStore.STORE_ORDER);
        assertThat(sorted).isEqualTo(inOrder);
        assertThat(inOrder).allMatch(key -> key.startsWith(StoreKeys.batchPrefix("b")));
    }

    @Test
    void storeOrderIsTheOrderOfUtf8Bytes() {
        List<String> keys = new ArrayList<>(List.of("a", "ab", "b", "\uE000", "\uD83D\uDE00", "\u00E9", "a\u0000z"));
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        keys.sort(WriteBackStore.STORE_ORDER);
        assertThat(keys).isEqualTo(byBytes);
    }
}
