package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Counts;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Denies a request that would make more requests within a period than the policy's transaction count
 * limits allow. A request counts when it moves any amount out of the wallet or sets any allowance
 * ({@link dev.guardian.policy.effects.SimulatedEffects#movesValueFrom}); one that moves nothing passes.
 * The refusal says when one more would fit: for a rolling window, when enough of the counted requests
 * have left it; for a calendar period, when the next one starts.
 */
final class TransactionCountRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (!evaluation.effects().movesValueFrom(evaluation.wallet())) {
            return List.of();
        }
        List<Reason> reasons = new ArrayList<>();
        for (TransactionCountLimit limit : evaluation.policy().transactionCounts()) {
            List<Instant> counted =
                    evaluation.spending().transactionsSince(limit.period().countsAfter(evaluation.now()));
            int used = counted.size();
            if (used < limit.max()) {
                continue;
            }
            Counts figures = new Counts(
                    limit.max(),
                    used,
                    0,
                    limit.period().length(),
                    Optional.of(nextRoom(limit, counted, evaluation.now())));
            reasons.add(Reason.deny(
                            RuleId.TRANSACTION_COUNT,
                            limit.period().describe() + " limit of " + limit.max() + " transactions reached: " + used
                                    + " already counted")
                    .with(figures));
        }
        return reasons;
    }

    /**
     * When one more request fits: for a rolling window, when the oldest {@code used - max + 1} counted
     * requests have left it (a request made at {@code t} leaves at {@code t + window}).
     */
    private static Instant nextRoom(TransactionCountLimit limit, List<Instant> counted, Instant now) {
        return switch (limit.period()) {
            case BudgetPeriod.Calendar calendar -> calendar.nextStart(now);
            case BudgetPeriod.Rolling rolling ->
                counted.get(counted.size() - limit.max()).plus(rolling.window());
        };
    }
}
