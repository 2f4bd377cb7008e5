package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import java.time.Instant;
import java.util.List;

/**
 * Budgets a team of agents shares, on top of each agent's own: what every member sends counts against
 * them. {@code version} names the team's budgets that judged a request.
 */
public record TeamBudgets(String team, int version, List<WindowBudget> budgets) {
    public TeamBudgets {
        if (team == null || team.isBlank()) {
            throw new IllegalArgumentException("a team has a name");
        }
        if (version < 1) {
            throw new IllegalArgumentException("a team's budgets have a version from 1");
        }
        budgets = List.copyOf(budgets);
    }

    public List<WindowBudget> budgetsFor(Asset asset) {
        return budgets.stream().filter(b -> b.limit().asset().equals(asset)).toList();
    }

    /**
     * The earliest instant any of these budgets looks back to at {@code now}: the team's spending
     * before it cannot change a decision, so it need not be read.
     */
    public Instant countsAfter(Instant now) {
        return budgets.stream()
                .map(b -> b.period().countsAfter(now))
                .min(Instant::compareTo)
                .orElse(now);
    }
}
