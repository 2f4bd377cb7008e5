package dev.guardian.policy.rules;

import java.util.Objects;

/** At most {@code max} requests that may move money (pending, allowed or sent) within {@code period}. */
public record TransactionCountLimit(int max, BudgetPeriod period) {
    public TransactionCountLimit {
        Objects.requireNonNull(period, "period");
        if (max < 1) {
            throw new IllegalArgumentException("a transaction count limit is at least 1");
        }
    }
}
