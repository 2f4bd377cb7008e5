package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.DAY;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Team treasury-ops shares 1000 USDC per rolling 24h; its members spent 920 of it. The agent's own
 * budget (500 per 24h) is untouched, so only the team's can stop it.
 */
class TeamBudgetRuleTest {
    private static final Instant EARLIER = NOW.minus(Duration.ofHours(3));
    private final Rule rule = new TeamBudgetRule();

    private static EvaluationBuilder inTeam(WindowBudget... budgets) {
        return evaluation().team("treasury-ops", budgets).teamSpent(usdc("920"), EARLIER);
    }

    private static EvaluationBuilder inTeam() {
        return inTeam(new WindowBudget(usdc("1000"), DAY));
    }

    @Test
    void deniesAPaymentThatWouldExceedTheTeamsBudgetNamingTheTeam() {
        List<Reason> reasons = rule.check(inTeam().pays(usdc("90"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.TEAM_BUDGET);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message())
                    .isEqualTo(
                            "team treasury-ops's 24h budget for USDC would be exceeded: 920 used of 1000, this request 90"
                                    + " (used by the whole team)");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("1000"),
                            usdc("90"),
                            usdc("920"),
                            usdc("80"),
                            Optional.of(DAY),
                            Optional.of(EARLIER.plus(DAY))));
        });
    }

    @Test
    void allowsExactlyWhatTheTeamHasLeftAndDeniesOneUnitMore() {
        assertThat(rule.check(inTeam().pays(usdc("80"), MERCHANT).build())).isEmpty();
        assertThat(rule.check(inTeam().pays(usdc("80.000001"), MERCHANT).build()))
                .hasSize(1);
    }

    @Test
    void countsTheTeamsSpendingNotOnlyTheAgentsOwn() {
        // The agent itself spent nothing; the team's 920 is what stops it.
        assertThat(new WindowBudgetRule()
                        .check(inTeam().pays(usdc("90"), MERCHANT).build()))
                .isEmpty();
        assertThat(rule.check(inTeam().pays(usdc("90"), MERCHANT).build())).hasSize(1);
    }

    @Test
    void judgesTheTeamsCalendarBudgetsLikeTheAgentsOwn() {
        Calendar month = new Calendar(Calendar.Unit.MONTH, ZoneId.of("Europe/Berlin"));

        List<Reason> reasons = rule.check(inTeam(new WindowBudget(usdc("1000"), month))
                .pays(usdc("90"), MERCHANT)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason -> assertThat(reason.numbers())
                        .contains(new Numbers(
                                usdc("1000"),
                                usdc("90"),
                                usdc("920"),
                                usdc("80"),
                                Optional.empty(),
                                Optional.of(Instant.parse("2026-11-30T23:00:00Z")))));
    }

    @Test
    void judgesEachAssetAgainstTheTeamsBudgetForIt() {
        assertThat(rule.check(inTeam().pays(eth("100"), MERCHANT).build())).isEmpty();
    }

    @Test
    void passesAnAgentWithoutATeam() {
        assertThat(rule.check(evaluation().pays(usdc("499"), MERCHANT).build())).isEmpty();
    }
}
