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
 * <p>What counts is what the request charges ({@link Charges}): the value it moves out of the wallet
 * and every allowance it raises, as if that much moved now. An allowance is the power to move money
 * later, so it is held against the budget from the moment it is granted; its later use adds nothing,
 * and lowering or revoking it frees the budget again once mined.
 */
final class WindowBudgetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        List<Reason> reasons = new ArrayList<>();
        evaluation.charged().forEach((asset, attempted) -> {
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
