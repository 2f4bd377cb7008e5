package dev.guardian.policy.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A known counterparty: the label people know it by, an optional moment after which it is no longer
 * trusted (it escalates again), and optional caps on what may be sent to it per period.
 */
public record AllowlistEntry(String label, Optional<Instant> expiresAt, List<WindowBudget> limits) {
    public AllowlistEntry {
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an allowlist entry has a label");
        }
        limits = List.copyOf(limits);
    }

    public static AllowlistEntry labelled(String label) {
        return new AllowlistEntry(label, Optional.empty(), List.of());
    }

    public boolean isCurrent(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }
}
