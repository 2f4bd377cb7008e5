package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.util.List;

/**
 * Stops a request that would move value (any transfer or approval in its simulated effects) when the
 * screening behind it is not current: a list past its maximum age, a source never loaded, an oracle
 * that could not be asked. Denies or escalates as the screening says; never allows, because "no hit"
 * from a screening that cannot be trusted proves nothing. A request that moves nothing passes.
 */
final class SanctionsNotCurrentRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.screening().isEmpty()) {
            return List.of(); // the simulation did not succeed, so nothing would move
        }
        ScreeningResult screening = evaluation.screening().get();
        if (screening.notCurrent().isEmpty() || evaluation.effects().effects().isEmpty()) {
            return List.of();
        }
        ScreeningResult.NotCurrent notCurrent = screening.notCurrent().get();
        String message = "sanctions screening is not current (" + String.join("; ", notCurrent.problems())
                + "); Guardian moves no value until it is";
        return List.of(
                notCurrent.verdict() == Verdict.DENY
                        ? Reason.deny(RuleId.SANCTIONS_NOT_CURRENT, message)
                        : Reason.escalate(RuleId.SANCTIONS_NOT_CURRENT, message));
    }
}
