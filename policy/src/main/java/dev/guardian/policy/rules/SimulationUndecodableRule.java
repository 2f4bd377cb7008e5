package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.SimulationOutcome;
import java.util.List;

/**
 * Denies a request whose simulated effects cannot be judged (they cannot be read or added up): what
 * Guardian cannot judge, it does not sign.
 */
final class SimulationUndecodableRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (!(evaluation.simulation() instanceof SimulationOutcome.Undecodable undecodable)) {
            return List.of();
        }
        return List.of(Reason.deny(RuleId.SIMULATION_UNDECODABLE, undecodable.reason()));
    }
}
