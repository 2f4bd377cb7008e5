package dev.guardian.benchmarks.load;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One request as its client saw it.
 *
 * @param sentAt       the wall-clock instant just before the request was sent (the server stamps its
 *                     records with the same clock: one JVM)
 * @param latencyNanos from sending to having the whole answer
 * @param httpStatus   the answer's status, or -1 when there was none ({@code error} says why)
 * @param requestId    the request the answer describes, when it has one
 * @param status       the request's status in the answer (e.g. SUBMITTED), or a refusal's problem type
 */
record Sent(
        int index,
        Instant sentAt,
        long latencyNanos,
        int httpStatus,
        Optional<UUID> requestId,
        Optional<String> status,
        Optional<String> error) {
    Sent {
        Objects.requireNonNull(sentAt, "sentAt");
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must not be negative, was " + latencyNanos);
        }
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
    }

    Instant answeredAt() {
        return sentAt.plusNanos(latencyNanos);
    }
}
