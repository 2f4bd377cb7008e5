package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.UnknownEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Escalates when the contract the wallet calls emits an event Guardian does not understand and the
 * contract's allowlist entry does not name as harmless: an operator granted, a position opened, a claim
 * assigned to someone else may leave no token movement at all, and what Guardian cannot read, a person
 * judges. Events of contracts further down the call are left to the value rules. One reason per event.
 */
final class UnknownEventRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Set<String> known = evaluation
                .policy()
                .contracts()
                .entry(evaluation.call().to())
                .map(ContractEntry::knownEventTopics)
                .orElse(Set.of());
        Set<String> seen = new LinkedHashSet<>();
        return evaluation.effects().unknownEvents().stream()
                .filter(UnknownEvent::fromDirectCallee)
                .filter(e -> !known.contains(e.topic0()) && seen.add(e.emitter() + e.topic0()))
                .map(e -> Reason.escalate(
                                RuleId.UNKNOWN_EVENT,
                                e.emitter() + " emitted an event Guardian does not understand (signature " + e.topic0()
                                        + "); list it as known on the contract's entry if it moves nothing")
                        .about(e.emitter()))
                .toList();
    }
}
