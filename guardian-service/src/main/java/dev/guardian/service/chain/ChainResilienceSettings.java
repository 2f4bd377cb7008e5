package dev.guardian.service.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * How patiently Guardian talks to the chain. Reads are retried {@code readAttempts} times in total
 * (exponential backoff starting at {@code readBackoff}) on I/O failures only; the circuit breaker opens
 * when {@code failureRateThreshold} percent of the last {@code slidingWindowSize} calls (once at least
 * {@code minimumNumberOfCalls} were made) could not reach the chain, and stays open for
 * {@code openStateWait}; at most {@code maxConcurrentCalls} calls are in flight at once.
 */
public record ChainResilienceSettings(
        Duration callTimeout,
        int readAttempts,
        Duration readBackoff,
        float failureRateThreshold,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        Duration openStateWait,
        int maxConcurrentCalls) {

    public ChainResilienceSettings {
        requirePositive(callTimeout, "callTimeout");
        if (readAttempts < 1 || readAttempts > 10) {
            throw new IllegalArgumentException(
                    "readAttempts must be between 1 and 10 (1 means no retry), was " + readAttempts);
        }
        requirePositive(readBackoff, "readBackoff");
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException(
                    "failureRateThreshold is a percentage in (0, 100], was " + failureRateThreshold);
        }
        if (slidingWindowSize < 1) {
            throw new IllegalArgumentException("slidingWindowSize must be at least 1, was " + slidingWindowSize);
        }
        if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
            throw new IllegalArgumentException("minimumNumberOfCalls must be between 1 and slidingWindowSize ("
                    + slidingWindowSize + "), was " + minimumNumberOfCalls);
        }
        requirePositive(openStateWait, "openStateWait");
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1, was " + maxConcurrentCalls);
        }
    }

    /**
     * Sensible for a hosted RPC endpoint: a 5 s bound per call, three read attempts from 200 ms, the breaker
     * opening at half of the last 20 calls failing (after 10) for 30 s, 64 calls in flight.
     */
    public static ChainResilienceSettings defaults() {
        return new ChainResilienceSettings(
                Duration.ofSeconds(5), 3, Duration.ofMillis(200), 50f, 20, 10, Duration.ofSeconds(30), 64);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
