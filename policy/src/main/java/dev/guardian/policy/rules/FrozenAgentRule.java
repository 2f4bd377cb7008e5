package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;

/** A frozen agent may not move anything: the treasury's emergency stop. */
final class FrozenAgentRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (!evaluation.agentFrozen()) {
            return List.of();
        }
        return List.of(Reason.deny(
                RuleId.AGENT_FROZEN,
                "agent " + evaluation.agent() + " is frozen; nothing is signed until the treasury unfreezes it"));
    }
}
