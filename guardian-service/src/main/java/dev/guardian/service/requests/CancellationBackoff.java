package dev.guardian.service.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How long the authorization watcher waits before it tries again to cancel an authorization whose cancellation
 * was denied or failed (the relayer could not pay, the simulation reverted, the chain could not be asked):
 * {@code first} after the first failure, twice as long after each further one, never longer than {@code most}
 * ({@code guardian.worker.cancellation-backoff}, {@code cancellation-backoff-max}). A cancellation that cannot
 * succeed is so tried a bounded number of times in any period, each try leaving one request and its audit
 * records, instead of one on every pass. Pure.
 */
record CancellationBackoff(Duration first, Duration most) {
    CancellationBackoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(most, "most");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("guardian.worker.cancellation-backoff must be positive, was " + first);
        }
        if (most.compareTo(first) < 0) {
            throw new IllegalArgumentException("guardian.worker.cancellation-backoff-max (" + most
                    + ") must be at least guardian.worker.cancellation-backoff (" + first + ")");
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first): doubling, capped. */
    Duration after(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(most) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(most) > 0 ? most : wait;
    }

    /** When the next try may be made after {@code failures} failures, the last at {@code last}; empty: now. */
    Optional<Instant> nextAttempt(int failures, Optional<Instant> last) {
        return failures < 1 ? Optional.empty() : last.map(at -> at.plus(after(failures)));
    }
}
