package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.SimulationOutcome;
import java.util.List;

/**
 * Denies a request whose simulation reverts: signing it would only burn gas, and what it was meant to
 * do cannot be judged. The reason quotes the revert so the agent can fix its call.
 */
final class SimulationRevertedRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (!(evaluation.simulation() instanceof SimulationOutcome.Reverted reverted)) {
            return List.of();
        }
        return List.of(Reason.deny(RuleId.SIMULATION_REVERTED, "the transaction would revert: " + reverted.reason()));
    }
}
