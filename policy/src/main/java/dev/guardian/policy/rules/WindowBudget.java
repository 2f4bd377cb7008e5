package dev.guardian.policy.rules;

import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.util.Objects;

/** At most {@code limit} may leave the agent's wallets within any rolling {@code window}. */
public record WindowBudget(TokenAmount limit, Duration window) {
    public WindowBudget {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a budget window is a positive duration");
        }
    }
}
