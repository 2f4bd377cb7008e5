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
 * Follows the wallet's value past its first recipient ({@link ValueFlow}): everyone it reaches further
 * down the call is a counterparty too, and must be allowlisted (an expired entry escalates again). And
 * value may only end with a payee: what stays with an entry listed as a contract (a router, a bridge,
 * through which money only passes) escalates. Direct recipients that are not allowlisted at all are
 * {@link CounterpartyAllowlistRule}'s.
 */
final class OnwardRecipientRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        ValueFlow flow = evaluation.flow();
        Map<Address, AllowlistEntry> allowlist = evaluation.policy().allowlist();
        List<Reason> reasons = new ArrayList<>();
        for (Address onward : flow.onward()) {
            AllowlistEntry entry = allowlist.get(onward);
            if (entry == null) {
                reasons.add(Reason.escalate(
                                RuleId.ONWARD_NOT_ALLOWLISTED,
                                "value from this wallet reaches " + onward + " further down the call ("
                                        + describe(flow.received().get(onward)) + "), and it is not on this agent's"
                                        + " allowlist")
                        .about(onward));
            } else if (!entry.isCurrent(evaluation.now())) {
                reasons.add(Reason.escalate(
                                RuleId.COUNTERPARTY_ALLOWLIST_EXPIRED,
                                onward + " (" + entry.label()
                                        + "), reached further down the call, was allowlisted until "
                                        + entry.expiresAt().orElseThrow() + "; that entry has expired")
                        .about(onward));
            }
        }
        flow.kept().forEach((party, amounts) -> {
            AllowlistEntry entry = allowlist.get(party);
            if (entry != null && !entry.isPayee()) {
                reasons.add(Reason.escalate(
                                RuleId.NOT_A_PAYEE,
                                describe(amounts) + " would stay with " + entry.label() + " (" + party + "), which is"
                                        + " allowlisted as a contract money passes through, not as a payee")
                        .about(party));
            }
        });
        return reasons;
    }

    private static String describe(Map<Asset, TokenAmount> amounts) {
        return amounts == null
                ? ""
                : String.join(
                        ", ",
                        amounts.values().stream().map(TokenAmount::toString).toList());
    }
}
