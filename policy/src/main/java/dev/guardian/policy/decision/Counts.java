package dev.guardian.policy.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures behind a limit on how many requests may be made: the limit, how many already count,
 * how many remain, the rolling window (if any) and when the next request would fit again.
 */
public record Counts(long limit, long used, long remaining, Optional<Duration> window, Optional<Instant> resetsAt) {
    public Counts {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(resetsAt, "resetsAt");
        if (limit < 0 || used < 0 || remaining < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }
}
