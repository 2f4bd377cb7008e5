package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Denies a request that would push what left the wallet within a rolling window past that window's
 * budget, counting what is already spent or reserved in it. The refusal says when enough earlier
 * spending will have left the window for this same request to fit, so an agent knows when to retry.
 *
 * <p>Approvals do not count against budgets: an allowance is not yet a movement of money, and when
 * the spender does move it the transfer is the spender's, not this wallet's request. The risk an
 * approval carries is held by other rules instead: the spender must be allowlisted
 * ({@link CounterpartyAllowlistRule}) and the approval must stay within the per-transaction cap
 * ({@link PerTransactionCapRule}), without which it escalates ({@link UnlimitedAssetRule}).
 */
final class WindowBudgetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        List<Reason> reasons = new ArrayList<>();
        evaluation.effects().outgoingTotals(evaluation.wallet()).forEach((asset, attempted) -> {
            // A request that moves none of an asset cannot be what crosses its budget.
            if (attempted.isZero()) {
                return;
            }
            for (WindowBudget budget : evaluation.policy().budgetsFor(asset)) {
                check(budget, asset, attempted, evaluation).ifPresent(reasons::add);
            }
        });
        return reasons;
    }

    private static Optional<Reason> check(WindowBudget budget, Asset asset, TokenAmount attempted, Evaluation evaluation) {
        List<SpendingState.Spend> inWindow = evaluation.spending().since(asset, evaluation.now().minus(budget.window()));
        TokenAmount used = TokenAmount.zero(asset);
        for (SpendingState.Spend spend : inWindow) {
            used = used.plus(spend.amount());
        }
        TokenAmount limit = budget.limit();
        TokenAmount wanted = used.plus(attempted);
        if (!wanted.exceeds(limit)) {
            return Optional.empty();
        }
        Numbers figures = new Numbers(limit, attempted, used, limit.minusOrZero(used),
                Optional.of(budget.window()), resetsAt(inWindow, wanted.minus(limit), attempted, budget));
        String window = Texts.window(budget.window());
        return Optional.of(Reason.deny(RuleId.WINDOW_BUDGET,
                        window + " budget for " + asset.symbol() + " would be exceeded: "
                                + used.toDecimalString() + " used of " + limit.toDecimalString()
                                + ", this request " + attempted.toDecimalString())
                .with(figures));
    }

    /**
     * The first instant at which spends leaving the window (oldest first) free at least {@code excess};
     * empty when the request alone is over the limit and no waiting helps. A spend made at {@code t}
     * leaves the window at {@code t + window} ({@link SpendingState#since} excludes its start).
     */
    private static Optional<Instant> resetsAt(
            List<SpendingState.Spend> inWindow, TokenAmount excess, TokenAmount attempted, WindowBudget budget) {
        if (attempted.exceeds(budget.limit())) {
            return Optional.empty();
        }
        TokenAmount freed = TokenAmount.zero(excess.asset());
        for (SpendingState.Spend spend : inWindow) {
            freed = freed.plus(spend.amount());
            if (!excess.exceeds(freed)) {
                return Optional.of(spend.at().plus(budget.window()));
            }
        }
        // Unreachable while used + attempted > limit >= attempted; kept total rather than throwing.
        return Optional.empty();
    }
}
