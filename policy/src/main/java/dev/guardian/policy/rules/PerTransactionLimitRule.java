package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;

/**
 * Denies a request that moves more of an asset out of the wallet than the policy's hard
 * per-transaction limit, or approves more than it: unlike the cap ({@link PerTransactionCapRule}),
 * no approver may wave it through. See {@link PerTransactionAmounts} for what is measured.
 */
final class PerTransactionLimitRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        return PerTransactionAmounts.above(
                evaluation,
                evaluation.policy().perTransactionLimits(),
                "per-transaction limit",
                message -> Reason.deny(RuleId.PER_TRANSACTION_LIMIT, message));
    }
}
