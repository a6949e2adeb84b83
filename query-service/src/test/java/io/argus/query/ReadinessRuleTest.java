package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadinessRuleTest {

    private final AtomicLong now = new AtomicLong();
    private final ReadinessRule rule = new ReadinessRule(1000, Duration.ofSeconds(30), now::get);

    @Test
    void behindAfterStartIsCatchingUpUntilTheLagFirstFallsWithinTheBound() {
        assertThat(rule.notReadyBecause(OptionalDouble.of(50_000), 10)).hasValue("CATCHING_UP (lag 50000)");
        assertThat(rule.notReadyBecause(OptionalDouble.of(900), 49_000)).isEmpty();
    }

    @Test
    void aBurstWhileTheFoldMovesIsNoReasonToLeaveTheService() {
        rule.notReadyBecause(OptionalDouble.of(0), 0);
        for (int second = 1; second <= 120; second++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(rule.notReadyBecause(OptionalDouble.of(40_000), second * 5_000L)).isEmpty();
        }
    }

    @Test
    void behindWithNothingFoldedForTheWindowIsStuck() {
        rule.notReadyBecause(OptionalDouble.of(0), 7);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(rule.notReadyBecause(OptionalDouble.of(5_000), 7)).isEmpty();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(rule.notReadyBecause(OptionalDouble.of(5_000), 7)).hasValue("STUCK (lag 5000, nothing folded for 31 s)");
        assertThat(rule.notReadyBecause(OptionalDouble.of(5_000), 8)).as("moving again").isEmpty();
    }

    @Test
    void anIdleFoldWithNoLagIsReady() {
        rule.notReadyBecause(OptionalDouble.of(0), 7);
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(rule.notReadyBecause(OptionalDouble.of(0), 7)).isEmpty();
        assertThat(rule.notReadyBecause(OptionalDouble.empty(), 7)).isEmpty();
    }
}
