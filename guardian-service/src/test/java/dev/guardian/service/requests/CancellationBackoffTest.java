package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wait before a failed cancellation is tried again: doubling from the first wait, never past the longest. */
class CancellationBackoffTest {
    private static final CancellationBackoff BACKOFF =
            new CancellationBackoff(Duration.ofSeconds(15), Duration.ofMinutes(5));

    @ParameterizedTest(name = "after {0} failure(s): {1}")
    @CsvSource({"0, PT0S", "1, PT15S", "2, PT30S", "3, PT1M", "4, PT2M", "5, PT4M", "6, PT5M", "7, PT5M", "1000, PT5M"})
    void waitsTwiceAsLongAfterEachFailureUpToTheLongestWait(int failures, String wait) {
        assertThat(BACKOFF.after(failures)).isEqualTo(Duration.parse(wait));
    }

    @Test
    void triesAtOnceWhenNothingFailedAndAfterTheWaitOtherwise() {
        Instant last = Instant.parse("2026-12-02T10:00:00Z");

        assertThat(BACKOFF.nextAttempt(0, Optional.empty())).isEmpty();
        assertThat(BACKOFF.nextAttempt(3, Optional.of(last))).contains(last.plusSeconds(60));
    }

    @Test
    void refusesAWaitThatIsNotPositiveOrALongestWaitBelowTheFirstNamingTheSettings() {
        assertThatThrownBy(() -> new CancellationBackoff(Duration.ZERO, Duration.ofMinutes(5)))
                .hasMessageContaining("guardian.worker.cancellation-backoff");
        assertThatThrownBy(() -> new CancellationBackoff(Duration.ofMinutes(1), Duration.ofSeconds(30)))
                .hasMessageContaining("guardian.worker.cancellation-backoff-max");
    }
}
