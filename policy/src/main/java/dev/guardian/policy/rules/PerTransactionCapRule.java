package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;

/**
 * Escalates a request that moves more of an asset out of the wallet than the policy's per-transaction
 * cap, or approves more than it: above the cap a person decides. See {@link PerTransactionAmounts}
 * for what is measured.
 */
final class PerTransactionCapRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        return PerTransactionAmounts.above(
                evaluation,
                evaluation.policy().perTransactionCaps(),
                "per-transaction cap",
                message -> Reason.escalate(RuleId.PER_TRANSACTION_CAP, message));
    }
}
