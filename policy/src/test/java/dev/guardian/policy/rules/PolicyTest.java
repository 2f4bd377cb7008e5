package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void readsEachKindOfSpendingBackToTheEarliestInstantItsLimitsLookAt() {
        Policy policy = new Policy(
                "v1",
                Map.of(),
                Map.of(),
                List.of(new WindowBudget(usdc("500"), Duration.ofHours(24))),
                Map.of(
                        MERCHANT,
                        new AllowlistEntry(
                                "merchant",
                                Optional.empty(),
                                List.of(new WindowBudget(
                                        usdc("100"), new Calendar(Calendar.Unit.MONTH, ZoneOffset.UTC))))),
                List.of(new TransactionCountLimit(5, new BudgetPeriod.Rolling(Duration.ofHours(1)))),
                Approvals.defaults());

        assertThat(policy.budgetsCountAfter(NOW)).contains(NOW.minus(Duration.ofHours(24)));
        assertThat(policy.counterpartyCapsCountAfter(NOW))
                .contains(Instant.parse("2026-11-01T00:00:00Z").minusNanos(1));
        assertThat(policy.transactionCountsCountAfter(NOW)).contains(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void aPolicyWithoutLimitsOverTimeReadsNoSpending() {
        Policy caps = new Policy("v1", Map.of(USDC, usdc("1")), List.of(), Map.of());
        assertThat(caps.budgetsCountAfter(NOW)).isEmpty();
        assertThat(caps.counterpartyCapsCountAfter(NOW)).isEmpty();
        assertThat(caps.transactionCountsCountAfter(NOW)).isEmpty();
    }

    @Test
    void theLabelledAllowlistConstructorMakesEntriesThatNeverExpire() {
        Policy policy = new Policy("v1", Map.of(), List.of(), Map.of(MERCHANT, "coffee shop"));

        assertThat(policy.allowlist()).containsEntry(MERCHANT, AllowlistEntry.labelled("coffee shop"));
        assertThat(policy.perTransactionLimits()).isEmpty();
        assertThat(policy.transactionCounts()).isEmpty();
    }

    @Test
    void rejectsALimitKeyedByAnotherAsset() {
        assertThatThrownBy(() -> new Policy(
                        "v1", Map.of(), Map.of(USDC, eth("1")), List.of(), Map.of(), List.of(), Approvals.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTeamsBudgetsAreReadBackToTheirEarliestStart() {
        TeamBudgets team = new TeamBudgets(
                "treasury-ops",
                1,
                List.of(
                        new WindowBudget(usdc("1000"), Duration.ofDays(7)),
                        new WindowBudget(usdc("100"), Duration.ofHours(1))));

        assertThat(team.countsAfter(NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(team.budgetsFor(USDC)).hasSize(2);
        assertThatThrownBy(() -> new TeamBudgets(" ", 1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
