package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;

/**
 * Denies a transaction whose most expensive fee would push the fees reserved and paid within a period
 * past the policy's fee budget. A transaction's fee counts whether it succeeds or reverts; once mined it
 * counts for what it really cost.
 */
final class FeeBudgetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.fee().isEmpty()) {
            return List.of();
        }
        TokenAmount attempted = evaluation.fee().get().maxCost(Asset.ether());
        List<Reason> reasons = new ArrayList<>();
        for (WindowBudget budget : evaluation.policy().fees().budgets()) {
            BudgetArithmetic.exceeded(
                            budget,
                            attempted,
                            evaluation.spending().feesSince(budget.period().countsAfter(evaluation.now())),
                            evaluation.now())
                    .ifPresent(figures -> reasons.add(Reason.deny(
                                    RuleId.FEE_BUDGET,
                                    budget.period().describe() + " fee budget would be exceeded: "
                                            + BudgetArithmetic.usedOfLimit(figures))
                            .with(figures)));
        }
        return reasons;
    }
}
