package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A retry interval that is not positive would retry a postponed request in a busy loop: start-up refuses it. */
class WorkerPropertiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1S"})
    void refusesAChainRetryIntervalThatIsNotPositiveAndNamesTheProperty(String interval) {
        assertThatThrownBy(() -> properties(Duration.parse(interval), Duration.ofMinutes(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guardian.worker.chain-retry-interval");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1S", "PT24H1S"})
    void refusesASafeCoverLifetimeThatIsNotPositiveOrLongerThanADay(String lifetime) {
        assertThatThrownBy(() -> properties(Duration.ofSeconds(5), Duration.parse(lifetime)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guardian.worker.safe-cover-lifetime");
    }

    /** The defaults but for the two settings these tests vary. */
    private static WorkerProperties properties(Duration chainRetryInterval, Duration safeCoverLifetime) {
        return new WorkerProperties(
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                50,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                5,
                chainRetryInterval,
                Duration.ofSeconds(2),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                safeCoverLifetime);
    }
}
