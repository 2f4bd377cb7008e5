package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Escalates for every party that would receive value from the wallet or an allowance over it and is
 * not on the policy's allowlist, wherever in the call tree it appears; and for every party whose
 * allowlist entry has expired (at its expiry instant it no longer counts), saying when it expired.
 * Revoking an allowance (setting it to zero) is always allowed, whoever the spender: it takes power
 * away. Parties further down the call are judged by {@link OnwardRecipientRule}.
 */
final class CounterpartyAllowlistRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Map<Address, AllowlistEntry> allowlist = evaluation.policy().allowlist();
        List<Reason> reasons = new ArrayList<>();
        Set<Address> parties = new LinkedHashSet<>();
        evaluation.effects().outgoingTransfers(evaluation.wallet()).forEach(t -> parties.add(t.to()));
        evaluation.effects().approvalsBy(evaluation.wallet()).stream()
                .filter(a -> !a.revokes())
                .forEach(a -> parties.add(a.spender()));
        for (Address party : parties) {
            AllowlistEntry entry = allowlist.get(party);
            if (entry == null) {
                reasons.add(Reason.escalate(
                                RuleId.COUNTERPARTY_NOT_ALLOWLISTED, party + " is not on this agent's allowlist")
                        .about(party));
            } else if (!entry.isCurrent(evaluation.now())) {
                reasons.add(Reason.escalate(
                                RuleId.COUNTERPARTY_ALLOWLIST_EXPIRED,
                                party + " (" + entry.label() + ") was allowlisted until "
                                        + entry.expiresAt().orElseThrow()
                                        + "; that entry has expired, so a person must decide")
                        .about(party));
            }
        }
        return reasons;
    }
}
