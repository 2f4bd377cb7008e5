package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;

/**
 * The hard rules of a co-signed Safe as one function of a Safe transaction's terms, so that the request path
 * can ask before it makes even an in-memory co-signature, and the policy engine applies the same function
 * ({@code SafeTransactionRule}). Every reason denies.
 */
public final class SafeHardRules {
    private SafeHardRules() {}

    /** Why Guardian must not co-sign this Safe transaction; empty when no hard rule stands in the way. */
    public static List<Reason> check(SafeTerms terms) {
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
