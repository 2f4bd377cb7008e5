package dev.guardian.policy.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A known counterparty: the label people know it by, whether money may end with it (a {@link Kind#PAYEE})
 * or only pass through it (a {@link Kind#CONTRACT}: a router, a bridge), an optional moment after which
 * it is no longer trusted (it escalates again), and optional caps on what may be sent to it per period.
 */
public record AllowlistEntry(String label, Kind kind, Optional<Instant> expiresAt, List<WindowBudget> limits) {
    public enum Kind {
        /** Money may end here. */
        PAYEE,
        /** Money passes through here to others, each judged in turn; what stays here escalates. */
        CONTRACT
    }

    public AllowlistEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an allowlist entry has a label");
        }
        limits = List.copyOf(limits);
    }

    /** A payee. */
    public AllowlistEntry(String label, Optional<Instant> expiresAt, List<WindowBudget> limits) {
        this(label, Kind.PAYEE, expiresAt, limits);
    }

    public static AllowlistEntry labelled(String label) {
        return new AllowlistEntry(label, Kind.PAYEE, Optional.empty(), List.of());
    }

    public boolean isCurrent(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }

    public boolean isPayee() {
        return kind == Kind.PAYEE;
    }
}
