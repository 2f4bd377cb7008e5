package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;

/**
 * Denies a request that would push what the agent's whole team sent within a team budget's period
 * past that budget, on top of the agent's own budgets ({@link WindowBudgetRule}, whose arithmetic
 * and figures it shares). What every member of the team spent or reserved counts, this agent's
 * included. An agent without a team passes.
 */
final class TeamBudgetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.team().isEmpty()) {
            return List.of();
        }
        TeamBudgets team = evaluation.team().get();
        List<Reason> reasons = new ArrayList<>();
        evaluation.charged().forEach((asset, attempted) -> {
            if (attempted.isZero()) {
                return;
            }
            for (WindowBudget budget : team.budgetsFor(asset)) {
                BudgetArithmetic.exceeded(
                                budget,
                                attempted,
                                evaluation
                                        .teamSpending()
                                        .since(asset, budget.period().countsAfter(evaluation.now())),
                                evaluation.now())
                        .ifPresent(figures -> reasons.add(Reason.deny(
                                        RuleId.TEAM_BUDGET,
                                        "team " + team.team() + "'s "
                                                + budget.period().describe() + " budget for "
                                                + asset.symbol() + " would be exceeded: "
                                                + BudgetArithmetic.usedOfLimit(figures) + " (used by the whole team)")
                                .with(figures)));
            }
        });
        return reasons;
    }
}
