package dev.guardian.policy.decision;

import java.time.Duration;
import java.util.Objects;

/** The figures of the longest a signature may stay usable: the policy's limit, and what the request asked for. */
public record Validity(Duration limit, Duration attempted) {
    public Validity {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(attempted, "attempted");
    }
}
