package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Counts;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Escalates every request of an agent whose transactions reverted on chain too often within a period:
 * each revert passed its simulation and still burned its fee, which is what a contract that behaves
 * differently on chain, or an agent probing for one, looks like.
 */
final class RepeatedRevertsRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.policy().fees().reverts().isEmpty()) {
            return List.of();
        }
        TransactionCountLimit limit = evaluation.policy().fees().reverts().get();
        List<Instant> reverted =
                evaluation.spending().revertsSince(limit.period().countsAfter(evaluation.now()));
        if (reverted.size() < limit.max()) {
            return List.of();
        }
        Optional<Instant> resets = switch (limit.period()) {
            case BudgetPeriod.Calendar calendar -> Optional.of(calendar.nextStart(evaluation.now()));
            case BudgetPeriod.Rolling rolling ->
                Optional.of(reverted.get(reverted.size() - limit.max()).plus(rolling.window()));
        };
        return List.of(Reason.escalate(
                        RuleId.REPEATED_REVERTS,
                        reverted.size() + " of this agent's transactions reverted on chain "
                                + limit.period().describe() + " (at most " + limit.max() + " pass without a person)")
                .with(new Counts(limit.max(), reverted.size(), 0, limit.period().length(), resets)));
    }
}
