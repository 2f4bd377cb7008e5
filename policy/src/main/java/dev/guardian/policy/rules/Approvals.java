package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How escalated requests are decided by people: how many distinct approvals one needs, by the amounts
 * it moves, and how long approvers have before it expires. With no step, one approval suffices.
 *
 * @param deadline how long after escalation a request may still be approved
 * @param steps    "above this amount, this many approvals"; the highest step any outgoing amount
 *                 exceeds wins
 */
public record Approvals(Duration deadline, List<Step> steps) {
    public static final Duration DEFAULT_DEADLINE = Duration.ofHours(24);

    public Approvals {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("an approval deadline is a positive duration");
        }
        steps = List.copyOf(steps);
    }

    public static Approvals defaults() {
        return new Approvals(DEFAULT_DEADLINE, List.of());
    }

    /** Requests moving more than {@code above} need at least {@code approvals} distinct approvers. */
    public record Step(TokenAmount above, int approvals) {
        public Step {
            Objects.requireNonNull(above, "above");
            if (approvals < 1 || approvals > 10) {
                throw new IllegalArgumentException("a quorum is 1 to 10 approvals");
            }
        }
    }

    /** The number of distinct approvals a request moving {@code outgoing} needs: at least one. */
    public int required(Map<Asset, TokenAmount> outgoing) {
        int required = 1;
        for (Step step : steps) {
            TokenAmount moved = outgoing.get(step.above().asset());
            if (moved != null && moved.exceeds(step.above())) {
                required = Math.max(required, step.approvals());
            }
        }
        return required;
    }
}
