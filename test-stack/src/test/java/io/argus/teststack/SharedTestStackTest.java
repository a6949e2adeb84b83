package io.argus.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.argus.embedded.ApicurioRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealKafkaAndRegistry.class)
class SharedTestStackTest {

    @Test
    void injectsTheOneStackOfThisJvm(SharedTestStack stack, EmbeddedKafkaCluster kafka, ApicurioRegistry registry) {
        assertThat(stack).isSameAs(SharedTestStack.get());
        assertThat(kafka).isSameAs(stack.kafka());
        assertThat(registry).isSameAs(stack.registry());
        assertThat(stack.isClosed()).isFalse();
        assertThat(registry.isRunning()).isTrue();
    }

    @Test
    void reportsHowLongEachPartTookToStart(SharedTestStack stack) {
        assertThat(stack.kafkaStartup()).isPositive();
        assertThat(stack.registryStartup()).isPositive();
        // The two start side by side: the whole takes about as long as the slower part, not the sum.
        Duration slower = stack.kafkaStartup().compareTo(stack.registryStartup()) > 0
                ? stack.kafkaStartup() : stack.registryStartup();
        assertThat(stack.startup()).isGreaterThanOrEqualTo(slower)
                .isLessThan(stack.kafkaStartup().plus(stack.registryStartup()));
    }
}
