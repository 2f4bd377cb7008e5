package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import java.util.List;

/**
 * The hard rules of a co-signed Safe: whatever the policy allows, Guardian co-signs no Safe transaction that
 * the agent did not sign with its own owner key, that DELEGATECALLs anything but the configured
 * MultiSendCallOnly (delegated code runs as the Safe and can rewrite its owners and guard in storage), that
 * calls the Safe itself or its guard (owners, threshold, guard, modules, fallback handler: only treasury
 * owners change those, with their own signatures), that would pay a gas refund, whose nonce is not the
 * Safe's, or for a Safe that is no longer as Guardian created it. Every one denies: none is a matter for
 * approvers. This rule adds nothing to a request that is not a Safe transaction.
 */
final class SafeTransactionRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        return evaluation.safe().map(SafeHardRules::check).orElse(List.of());
    }
}
