package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        Optional<SafeTerms> safe = evaluation.safe();
        if (safe.isEmpty()) {
            return List.of();
        }
        SafeTerms terms = safe.get();
        List<Reason> reasons = new ArrayList<>();
        if (terms.signer().isEmpty() || !terms.signer().get().equals(terms.agentOwner())) {
            reasons.add(Reason.deny(
                            RuleId.SAFE_SIGNATURE_NOT_AGENT_OWNER,
                            "the Safe transaction's signature recovers to "
                                    + terms.signer().map(Object::toString).orElse("no address")
                                    + ", not to the agent's owner key " + terms.agentOwner()
                                    + "; Guardian co-signs only what the agent itself signed")
                    .about(terms.agentOwner()));
        }
        if (terms.delegateCall() && !terms.to().equals(terms.multiSend())) {
            reasons.add(Reason.deny(
                            RuleId.SAFE_DELEGATECALL_NOT_ALLOWED,
                            "the Safe transaction DELEGATECALLs " + terms.to()
                                    + "; a Safe may DELEGATECALL only MultiSendCallOnly at " + terms.multiSend()
                                    + " (delegated code runs as the Safe and could change its owners or guard)")
                    .about(terms.to()));
        }
        terms.multiSendProblem()
                .ifPresent(problem -> reasons.add(Reason.deny(
                        RuleId.SAFE_MULTISEND_MALFORMED,
                        "the MultiSendCallOnly batch cannot be read exactly: " + problem)));
        for (SafeTerms.InnerCall call : terms.calls()) {
            if (call.to().equals(terms.safe()) || call.to().equals(terms.guard())) {
                String target = call.to().equals(terms.safe()) ? "the Safe itself" : "the Safe's guard";
                reasons.add(Reason.deny(
                                RuleId.SAFE_SETUP_CHANGE_NOT_ALLOWED,
                                "the Safe transaction calls " + target + " (" + call.to() + ", function "
                                        + call.selector().map(Object::toString).orElse("none")
                                        + "): owners, threshold, guard, modules and fallback handler are changed"
                                        + " only by treasury owners with their own signatures, never co-signed"
                                        + " for an agent")
                        .about(call.to()));
            }
        }
        if (!terms.refundFields().isEmpty()) {
            reasons.add(Reason.deny(
                    RuleId.SAFE_GAS_REFUND_NOT_ALLOWED,
                    "the Safe transaction sets " + String.join(", ", terms.refundFields())
                            + "; all gas fields must be zero, else the Safe would pay a gas refund to someone"));
        }
        if (!terms.nonce().equals(terms.safeNonce())) {
            reasons.add(Reason.deny(
                    RuleId.SAFE_NONCE_NOT_CURRENT,
                    "the Safe transaction has nonce " + terms.nonce() + "; the Safe's nonce is " + terms.safeNonce()
                            + " (Guardian co-signs only the Safe's next transaction)"));
        }
        terms.setupProblem()
                .ifPresent(problem -> reasons.add(Reason.deny(
                                RuleId.SAFE_SETUP_NOT_AS_CREATED,
                                "the Safe on chain is not as Guardian created it: " + problem
                                        + "; Guardian co-signs for it no more until the treasury has looked")
                        .about(terms.safe())));
        return reasons;
    }
}
