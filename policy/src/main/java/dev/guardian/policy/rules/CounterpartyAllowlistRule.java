package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;
import java.util.Map;

/**
 * Escalates for every party that would receive value from the wallet or an allowance over it and is
 * not on the policy's allowlist, wherever in the call tree it appears.
 */
final class CounterpartyAllowlistRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Map<Address, String> allowlist = evaluation.policy().allowlist();
        return evaluation.effects().counterparties(evaluation.wallet()).stream()
                .filter(party -> !allowlist.containsKey(party))
                .map(party -> Reason.escalate(RuleId.COUNTERPARTY_NOT_ALLOWLISTED,
                                party + " is not on this agent's allowlist")
                        .about(party))
                .toList();
    }
}
