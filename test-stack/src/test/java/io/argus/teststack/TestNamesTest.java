package io.argus.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TestNamesTest {

    @Test
    void namesAreUniqueAndKeepTheirPrefix() {
        Set<String> names = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> names.add(TestNames.unique("events")));

        assertThat(names).hasSize(10_000).allSatisfy(name -> assertThat(name).startsWith("events-"));
    }

    @Test
    void namesAreLegalKafkaTopicNamesWhateverThePrefix() {
        String name = TestNames.unique("Runs by host/GPU #3: ü".repeat(20));

        Topic.validate(name);
        assertThat(name).matches("[a-zA-Z0-9._-]+").hasSizeLessThan(200);
    }

    @Test
    void aBlankPrefixIsRejected() {
        assertThatThrownBy(() -> TestNames.unique(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
