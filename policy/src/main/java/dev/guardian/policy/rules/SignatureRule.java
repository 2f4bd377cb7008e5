package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Validity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges what only a typed-data signature has: default deny for typed data Guardian does not recognise
 * (unless the policy lists exactly its domain and type as a message that moves no value), how long the
 * signature, and a Permit2 allowance it grants, stays usable, and for an x402 payment the resource's
 * origin (as the agent asserts it) and the price. What the signature moves is judged by the
 * same rules as a transaction's effects; this rule adds nothing to a transaction.
 */
final class SignatureRule implements Rule {
    private static final int LONGEST_TYPE_QUOTED = 400;

    @Override
    public List<Reason> check(Evaluation evaluation) {
        Optional<SignatureTerms> signature = evaluation.signature();
        if (signature.isEmpty()) {
            return List.of();
        }
        SignatureTerms terms = signature.get();
        SignatureRules rules = evaluation.policy().signatures();
        List<Reason> reasons = new ArrayList<>();
        switch (terms.standard()) {
            case REFUSED ->
                reasons.add(Reason.deny(
                        RuleId.TYPED_DATA_NOT_ALLOWED, terms.refusal().orElseThrow()));
            case MESSAGE -> {
                if (!rules.allows(terms)) {
                    reasons.add(Reason.deny(RuleId.TYPED_DATA_NOT_ALLOWED, unlisted(terms, rules)));
                }
            }
            default -> {}
        }
        terms.validUntil().ifPresent(until -> {
            Duration asked = Duration.between(evaluation.now(), until);
            if (asked.compareTo(rules.maxValidity()) > 0) {
                reasons.add(Reason.deny(
                                RuleId.SIGNATURE_VALIDITY,
                                "the signature would stay usable until " + until + ", " + asked.toSeconds()
                                        + " s from now; this agent's policy allows at most "
                                        + rules.maxValidity().toSeconds() + " s")
                        .with(new Validity(rules.maxValidity(), asked)));
            }
        });
        terms.grantedUntil().ifPresent(until -> {
            Duration asked = Duration.between(evaluation.now(), until);
            if (asked.compareTo(rules.maxValidity()) > 0) {
                reasons.add(Reason.deny(
                                RuleId.SIGNATURE_VALIDITY,
                                "the allowance the signature grants would last until " + until + " (its expiration), "
                                        + asked.toSeconds() + " s from now; this agent's policy allows at most "
                                        + rules.maxValidity().toSeconds()
                                        + " s (grant a longer allowance by a transaction, which can be revoked)")
                        .with(new Validity(rules.maxValidity(), asked)));
            }
        });
        terms.x402().ifPresent(quote -> reasons.addAll(x402(quote, rules.x402())));
        return reasons;
    }

    /** Why a message is not one the policy lists: what it is, exactly, and what a look-alike entry differs in. */
    private static String unlisted(SignatureTerms terms, SignatureRules rules) {
        String what = "typed data " + shortened(terms.encodedType()) + " of domain " + terms.domain()
                + " is not a transfer or permit Guardian recognises, and this agent's policy does not list it as a"
                + " message it may sign";
        return rules.resembled(terms)
                .map(listed -> what + ": the policy lists " + listed.primaryType() + " of domain " + listed.domain()
                        + ", which differs in " + listed.differences(terms) + " (a listed message matches its domain"
                        + " and type exactly)")
                .orElse(what);
    }

    /** The agent chose the type: a reason quotes enough of it to tell which, not all of it. */
    private static String shortened(String encodedType) {
        return encodedType.length() <= LONGEST_TYPE_QUOTED
                ? encodedType
                : encodedType.substring(0, LONGEST_TYPE_QUOTED) + "…(" + encodedType.length() + " characters)";
    }

    private static List<Reason> x402(SignatureTerms.X402Quote quote, SignatureRules.X402Rules rules) {
        List<Reason> reasons = new ArrayList<>();
        if (!rules.origins().contains(quote.origin())) {
            reasons.add(Reason.deny(
                    RuleId.X402_ORIGIN_NOT_ALLOWED,
                    "x402 payments to " + quote.origin() + " are not allowed for this agent"
                            + (rules.origins().isEmpty()
                                    ? " (its policy allows none)"
                                    : "; allowed: " + rules.origins())));
        }
        Asset asset = quote.price().asset();
        TokenAmount max = rules.maxPerRequest().get(asset);
        if (max == null) {
            reasons.add(Reason.deny(
                    RuleId.X402_PRICE_LIMIT,
                    "this agent's policy sets no most per x402 request in " + asset.symbol()
                            + ", so it pays none in it"));
        } else if (quote.price().compareTo(max) > 0) {
            reasons.add(Reason.deny(
                            RuleId.X402_PRICE_LIMIT,
                            "the resource costs " + quote.price().toDecimalString() + " " + asset.symbol()
                                    + ", more than the most per x402 request of " + max.toDecimalString() + " "
                                    + asset.symbol())
                    .with(new Numbers(
                            max, quote.price(), TokenAmount.zero(asset), max, Optional.empty(), Optional.empty())));
        }
        return reasons;
    }
}
