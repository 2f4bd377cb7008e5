package dev.guardian.service.sanctions;

import java.time.Duration;
import java.util.Objects;

/**
 * How lists are fetched from URLs: each attempt is bounded by {@code timeout}; a failed fetch is tried
 * {@code attempts} times in all, waiting {@code backoff} (doubling) in between; a source's circuit opens
 * after half of its last {@code circuitWindow} attempts failed and stays open for {@code openStateWait};
 * a body larger than {@code maxBytes} is refused.
 */
public record FetchSettings(
        Duration timeout, int attempts, Duration backoff, int circuitWindow, Duration openStateWait, long maxBytes) {
    public FetchSettings {
        requirePositive(timeout, "timeout");
        requirePositive(backoff, "backoff");
        requirePositive(openStateWait, "open-state-wait");
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("attempts must be between 1 and 10, was " + attempts);
        }
        if (circuitWindow < 1) {
            throw new IllegalArgumentException("circuit-window must be at least 1, was " + circuitWindow);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("max-bytes must be positive, was " + maxBytes);
        }
    }

    /** Two minutes per attempt (the official XML is about 121 MB), 3 attempts from 2 s, 512 MiB at most. */
    public static FetchSettings defaults() {
        return new FetchSettings(Duration.ofMinutes(2), 3, Duration.ofSeconds(2), 6, Duration.ofMinutes(5), 512L << 20);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
