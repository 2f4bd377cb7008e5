package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Denies a request that would push what the wallet sent to one allowlisted counterparty within a
 * period past the cap its allowlist entry sets, counting every transfer of the request to that
 * address (a payment hidden in a contract call included) and what was sent to it before. The
 * arithmetic and figures are those of every budget ({@link BudgetArithmetic}). An expired entry's
 * caps still apply: the escalation it causes must not become a way around them.
 */
final class CounterpartyBudgetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Map<Address, AllowlistEntry> allowlist = evaluation.policy().allowlist();
        List<Reason> reasons = new ArrayList<>();
        evaluation.charges().byCounterparty().forEach((party, sent) -> {
            AllowlistEntry entry = allowlist.get(party);
            if (entry == null) {
                return;
            }
            for (WindowBudget budget : entry.limits()) {
                Asset asset = budget.limit().asset();
                TokenAmount attempted = sent.get(asset);
                if (attempted == null || attempted.isZero()) {
                    continue;
                }
                List<SpendingState.Spend> counted =
                        evaluation
                                .spending()
                                .sentTo(party, asset, budget.period().countsAfter(evaluation.now()))
                                .stream()
                                .map(s -> new SpendingState.Spend(s.amount(), s.at()))
                                .toList();
                BudgetArithmetic.exceeded(budget, attempted, counted, evaluation.now())
                        .ifPresent(figures -> reasons.add(Reason.deny(
                                        RuleId.COUNTERPARTY_BUDGET,
                                        budget.period().describe() + " budget for " + asset.symbol() + " sent to "
                                                + entry.label() + " (" + party + ") would be exceeded: "
                                                + BudgetArithmetic.usedOfLimit(figures))
                                .with(figures)
                                .about(party)));
            }
        });
        return reasons;
    }
}
