package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.List;

/** While the deployment-wide kill switch is engaged, no agent may do anything, whatever its own state. */
final class KillSwitchRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (!evaluation.allAgentsFrozen()) {
            return List.of();
        }
        return List.of(Reason.deny(
                RuleId.ALL_AGENTS_FROZEN,
                "all agents are frozen by the kill switch; nothing is signed until the treasury releases it"));
    }
}
