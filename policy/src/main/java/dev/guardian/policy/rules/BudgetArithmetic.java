package dev.guardian.policy.rules;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic every spending budget shares, whoever's spending it counts (an agent's own, its
 * team's, or what went to one counterparty): what is used in the budget's period, what remains, and
 * when enough frees up for the same request to fit. Kept in one place so that the three kinds of
 * budget cannot drift apart.
 */
final class BudgetArithmetic {
    private BudgetArithmetic() {}

    /**
     * The figures of {@code budget} when {@code attempted} on top of what already counts would cross
     * it; empty when it fits (exactly reaching the limit fits).
     *
     * @param counted what counts in the budget's period at {@code now}, of the budget's asset, oldest first
     */
    static Optional<Numbers> exceeded(
            WindowBudget budget, TokenAmount attempted, List<SpendingState.Spend> counted, Instant now) {
        TokenAmount limit = budget.limit();
        TokenAmount used = TokenAmount.zero(limit.asset());
        // Sums saturate at 2^256 - 1: an unlimited allowance held or asked for is past every limit.
        for (SpendingState.Spend spend : counted) {
            used = Charges.saturating(used, spend.amount());
        }
        TokenAmount wanted = Charges.saturating(used, attempted);
        if (!wanted.exceeds(limit)) {
            return Optional.empty();
        }
        return Optional.of(new Numbers(
                limit,
                attempted,
                used,
                limit.minusOrZero(used),
                budget.period().length(),
                resetsAt(budget, counted, wanted.minus(limit), attempted, now)));
    }

    /** The figures in the words every budget message ends with: {@code 480 used of 500, this request 30}. */
    static String usedOfLimit(Numbers figures) {
        return figures.used().toDecimalString() + " used of " + figures.limit().toDecimalString() + ", this request "
                + figures.attempted().toDecimalString();
    }

    /**
     * When the same request would fit: for a rolling window, the first instant at which spends leaving
     * it (oldest first) free at least {@code excess}; for a calendar period, the next period's start.
     * Empty when the request alone is over the limit and no waiting helps.
     */
    private static Optional<Instant> resetsAt(
            WindowBudget budget,
            List<SpendingState.Spend> counted,
            TokenAmount excess,
            TokenAmount attempted,
            Instant now) {
        if (attempted.exceeds(budget.limit())) {
            return Optional.empty();
        }
        return switch (budget.period()) {
            case BudgetPeriod.Calendar calendar -> Optional.of(calendar.nextStart(now));
            case BudgetPeriod.Rolling rolling -> firstRelease(counted, excess, rolling);
        };
    }

    /** A spend made at {@code t} leaves the window at {@code t + window} ({@link SpendingState#since} excludes its start). */
    private static Optional<Instant> firstRelease(
            List<SpendingState.Spend> counted, TokenAmount excess, BudgetPeriod.Rolling rolling) {
        TokenAmount freed = TokenAmount.zero(excess.asset());
        for (SpendingState.Spend spend : counted) {
            freed = Charges.saturating(freed, spend.amount());
            if (!excess.exceeds(freed)) {
                return Optional.of(spend.at().plus(rolling.window()));
            }
        }
        // Unreachable while used + attempted > limit >= attempted; kept total rather than throwing.
        return Optional.empty();
    }
}
