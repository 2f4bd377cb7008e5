package dev.guardian.policy.rules;

import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.util.Objects;

/** At most {@code limit} may leave the wallets it applies to within {@code period}. */
public record WindowBudget(TokenAmount limit, BudgetPeriod period) {
    public WindowBudget {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(period, "period");
    }

    /** A budget over a rolling window. */
    public WindowBudget(TokenAmount limit, Duration window) {
        this(limit, new BudgetPeriod.Rolling(window));
    }
}
