package dev.guardian.policy.decision;

import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures behind a limit-based reason, all in the same asset: the limit, what this request
 * attempted, what was already used in the window, what remains before this request, and when enough
 * of the window frees up for this request to fit (empty if it never will, or the limit has no window).
 */
public record Numbers(
        TokenAmount limit,
        TokenAmount attempted,
        TokenAmount used,
        TokenAmount remaining,
        Optional<Duration> window,
        Optional<Instant> resetsAt) {
    public Numbers {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(attempted, "attempted");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(resetsAt, "resetsAt");
        if (!limit.asset().equals(attempted.asset())
                || !limit.asset().equals(used.asset())
                || !limit.asset().equals(remaining.asset())) {
            throw new IllegalArgumentException("all figures of a limit are in the same asset");
        }
    }
}
