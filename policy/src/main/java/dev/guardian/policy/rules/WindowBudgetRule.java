package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;

/**
 * Denies a request that would push what left the wallet within a budget's period (a rolling window
 * or a calendar day, week or month) past that budget, counting what is already spent or reserved in
 * it. The refusal says when enough will have freed up for this same request to fit: for a rolling
 * window, when enough earlier spending leaves it; for a calendar period, when the next one starts.
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
                BudgetArithmetic.exceeded(
                                budget,
                                attempted,
                                evaluation
                                        .spending()
                                        .since(asset, budget.period().countsAfter(evaluation.now())),
                                evaluation.now())
                        .ifPresent(figures -> reasons.add(Reason.deny(
                                        RuleId.WINDOW_BUDGET,
                                        budget.period().describe() + " budget for " + asset.symbol()
                                                + " would be exceeded: " + BudgetArithmetic.usedOfLimit(figures))
                                .with(figures)));
            }
        });
        return reasons;
    }
}
