package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Escalates a request that moves more of an asset out of the wallet than the policy's per-transaction
 * cap, counting every movement of the simulation (a payment hidden in a contract call included), and
 * any approval above the cap: an unlimited {@code approve} is the classic way to drain a wallet later.
 */
final class PerTransactionCapRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Map<Asset, TokenAmount> caps = evaluation.policy().perTransactionCaps();
        List<Reason> reasons = new ArrayList<>();
        evaluation.effects().outgoingTotals(evaluation.wallet()).forEach((asset, total) -> {
            TokenAmount cap = caps.get(asset);
            if (cap != null && total.exceeds(cap)) {
                reasons.add(Reason.escalate(RuleId.PER_TRANSACTION_CAP,
                                "this request sends " + total + ", above the per-transaction cap of " + cap)
                        .with(figures(cap, total)));
            }
        });
        for (Approval approval : evaluation.effects().approvalsBy(evaluation.wallet())) {
            TokenAmount cap = caps.get(approval.amount().asset());
            if (cap != null && approval.amount().exceeds(cap)) {
                reasons.add(Reason.escalate(RuleId.PER_TRANSACTION_CAP,
                                "this request approves " + approval.spender() + " to spend "
                                        + Texts.approvalAmount(approval.amount())
                                        + ", above the per-transaction cap of " + cap)
                        .with(figures(cap, approval.amount()))
                        .about(approval.spender()));
            }
        }
        return reasons;
    }

    private static Numbers figures(TokenAmount cap, TokenAmount attempted) {
        return new Numbers(cap, attempted, TokenAmount.zero(cap.asset()), cap, Optional.empty(), Optional.empty());
    }
}
