package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.DAY;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default policy allows 500 USDC per rolling 24h; calendar tests replace it. */
class WindowBudgetRuleTest {
    private static final Calendar BERLIN_MONTH = new Calendar(Calendar.Unit.MONTH, ZoneId.of("Europe/Berlin"));
    private final Rule rule = new WindowBudgetRule();

    @Test
    void deniesTransferThatWouldExceedDailyBudget() {
        Instant earlier = NOW.minus(Duration.ofHours(2));

        List<Reason> reasons = rule.check(evaluation()
                .spent(usdc("480"), earlier)
                .pays(usdc("30"), MERCHANT)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.WINDOW_BUDGET);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message())
                    .isEqualTo("24h budget for USDC would be exceeded: 480 used of 500, this request 30");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("500"),
                            usdc("30"),
                            usdc("480"),
                            usdc("20"),
                            Optional.of(DAY),
                            Optional.of(earlier.plus(DAY))));
        });
    }

    @Test
    void allowsATransferThatUsesExactlyWhatIsLeft() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("470"), Duration.ofHours(2))
                        .pays(usdc("30"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void forgetsASpendExactlyOneWindowLater() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("480"), DAY)
                        .pays(usdc("30"), MERCHANT)
                        .build()))
                .isEmpty();
        assertThat(rule.check(evaluation()
                        .spent(usdc("480"), DAY.minusNanos(1))
                        .pays(usdc("30"), MERCHANT)
                        .build()))
                .hasSize(1);
    }

    @Test
    void reportsWhenTheBudgetFreesUpEnoughForThisRequest() {
        Instant first = NOW.minus(Duration.ofHours(20));
        Instant second = NOW.minus(Duration.ofHours(10));
        List<SpendingState.Spend> history = List.of(
                new SpendingState.Spend(usdc("200"), first),
                new SpendingState.Spend(usdc("200"), second),
                new SpendingState.Spend(usdc("80"), NOW.minus(Duration.ofHours(1))));

        // 480 used: 150 more needs 130 freed, which the first spend does; 300 more needs the first two.
        assertThat(resetsAt(
                        rule.check(after(history).pays(usdc("150"), MERCHANT).build())))
                .contains(first.plus(DAY));
        assertThat(resetsAt(
                        rule.check(after(history).pays(usdc("300"), MERCHANT).build())))
                .contains(second.plus(DAY));
    }

    @Test
    void theSameRequestFitsExactlyWhenTheRefusalSaidItWould() {
        EvaluationBuilder history = evaluation()
                .spent(usdc("300"), NOW.minus(Duration.ofHours(23)))
                .spent(usdc("100"), NOW.minus(Duration.ofHours(5)))
                .spent(usdc("90"), NOW.minus(Duration.ofHours(4)))
                .pays(usdc("120"), MERCHANT);
        Instant resetsAt = resetsAt(rule.check(history.build())).orElseThrow();

        assertThat(rule.check(history.at(resetsAt.minusNanos(1)).build())).hasSize(1);
        assertThat(rule.check(history.at(resetsAt).build())).isEmpty();
    }

    @Test
    void reportsNoResetWhenTheRequestAloneIsOverTheBudget() {
        List<Reason> reasons =
                rule.check(evaluation().pays(usdc("600"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.message())
                    .isEqualTo("24h budget for USDC would be exceeded: 0 used of 500, this request 600");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("500"), usdc("600"), usdc("0"), usdc("500"), Optional.of(DAY), Optional.empty()));
        });
    }

    @Test
    void reportsNothingRemainingWhenTheBudgetWasLoweredBelowWhatIsSpent() {
        Instant earlier = NOW.minus(Duration.ofHours(3));

        List<Reason> reasons = rule.check(evaluation()
                .spent(usdc("400"), earlier)
                .spent(usdc("200"), NOW.minus(Duration.ofHours(1)))
                .pays(usdc("10"), MERCHANT)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason -> assertThat(reason.numbers()).hasValueSatisfying(n -> {
                    assertThat(n.remaining()).isEqualTo(usdc("0"));
                    assertThat(n.resetsAt()).contains(earlier.plus(DAY));
                }));
    }

    @Test
    void countsAPaymentHiddenInsideAContractCall() {
        List<Reason> reasons = rule.check(evaluation()
                .spent(usdc("400"), Duration.ofHours(1))
                .pays(usdc("60"), DEX_ROUTER)
                .pays(usdc("45"), STRANGER)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason ->
                        assertThat(reason.numbers()).map(Numbers::attempted).contains(usdc("105")));
    }

    @Test
    void checksEveryBudgetOfTheAsset() {
        List<SpendingState.Spend> history = List.of(
                new SpendingState.Spend(usdc("350"), NOW.minus(Duration.ofHours(3))),
                new SpendingState.Spend(usdc("50"), NOW.minus(Duration.ofMinutes(30))));

        assertThat(windowsExceeded(
                        after(history).budget(usdc("100"), Duration.ofHours(1)).pays(usdc("60"), MERCHANT)))
                .containsExactly(Duration.ofHours(1));
        assertThat(windowsExceeded(
                        after(history).budget(usdc("100"), Duration.ofHours(1)).pays(usdc("120"), MERCHANT)))
                .containsExactly(DAY, Duration.ofHours(1));
    }

    @Test
    void countsAnAllowanceAgainstTheBudgetAsIfItMovedNow() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("450"), Duration.ofHours(1))
                        .approves(usdc("60"), DEX_ROUTER)
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.WINDOW_BUDGET);
        assertThat(rule.check(evaluation()
                        .spent(usdc("450"), Duration.ofHours(1))
                        .approves(usdc("50"), DEX_ROUTER)
                        .build()))
                .isEmpty();
    }

    @Test
    void anUnlimitedAllowanceExceedsAnyBudget() {
        assertThat(rule.check(evaluation().approves(unlimited(USDC), DEX_ROUTER).build()))
                .singleElement()
                .satisfies(reason -> assertThat(reason.verdict()).isEqualTo(Verdict.DENY));
    }

    @Test
    void aFurtherUseOfAnAllowanceAlreadyHeldAddsNothing() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("400"), Duration.ofHours(1))
                        .holdsAllowance(usdc("100"), DEX_ROUTER, EvaluationBuilder.NOW.minus(Duration.ofHours(1)))
                        .effect(new Transfer(usdc("100"), WALLET, MERCHANT, Optional.of(DEX_ROUTER)))
                        .build()))
                .as("the 100 were held as exposure when granted")
                .isEmpty();
    }

    @Test
    void aRevocationFreesNothingAtOnceAndChargesNothing() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("500"), Duration.ofHours(1))
                        .approves(usdc("0"), DEX_ROUTER)
                        .build()))
                .isEmpty();
    }

    @Test
    void judgesEachAssetAgainstItsOwnSpending() {
        assertThat(rule.check(evaluation()
                        .spent(eth("10"), Duration.ofHours(1))
                        .pays(usdc("500"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void doesNotHoldARequestThatMovesNoneOfAnOverspentAsset() {
        assertThat(rule.check(evaluation()
                        .spent(usdc("600"), Duration.ofHours(1))
                        .pays(usdc("0"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void namesTheWindowAsPeopleSayIt() {
        List<Reason> reasons = rule.check(evaluation()
                .noBudgets()
                .budget(usdc("1000"), Duration.ofDays(7))
                .budget(usdc("50"), Duration.ofMinutes(90))
                .pays(usdc("60"), MERCHANT)
                .build());

        assertThat(reasons)
                .extracting(Reason::message)
                .containsExactly("90m budget for USDC would be exceeded: 0 used of 50, this request 60");
    }

    @Test
    void countsACalendarMonthInTheBudgetsTimeZoneAndResetsAtItsEnd() {
        // 2026-10-31T23:30Z is already 1 November in Berlin; 22:59:59Z is still October there.
        EvaluationBuilder november = evaluation()
                .noBudgets()
                .budget(usdc("500"), BERLIN_MONTH)
                .at(Instant.parse("2026-11-30T22:30:00Z"))
                .spent(usdc("400"), Instant.parse("2026-10-31T23:30:00Z"))
                .spent(usdc("1000"), Instant.parse("2026-10-31T22:59:59Z"));

        List<Reason> reasons = rule.check(november.pays(usdc("150"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.WINDOW_BUDGET);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message())
                    .isEqualTo(
                            "calendar month (Europe/Berlin) budget for USDC would be exceeded: 400 used of 500, this request 150");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("500"),
                            usdc("150"),
                            usdc("400"),
                            usdc("100"),
                            Optional.empty(),
                            Optional.of(Instant.parse("2026-11-30T23:00:00Z"))));
        });
    }

    @Test
    void aCalendarBudgetAllowsExactlyWhatIsLeftAndDeniesOneUnitMore() {
        EvaluationBuilder november = evaluation()
                .noBudgets()
                .budget(usdc("500"), BERLIN_MONTH)
                .at(Instant.parse("2026-11-15T12:00:00Z"))
                .spent(usdc("400"), Instant.parse("2026-10-31T23:00:00Z"));

        assertThat(rule.check(november.pays(usdc("100"), MERCHANT).build())).isEmpty();
        // The builder keeps the first payment: 100.000001 in all.
        assertThat(rule.check(november.pays(usdc("0.000001"), MERCHANT).build()))
                .hasSize(1);
    }

    @Test
    void theSameRequestFitsWhenTheNextCalendarPeriodStarts() {
        EvaluationBuilder request = evaluation()
                .noBudgets()
                .budget(usdc("500"), BERLIN_MONTH)
                .spent(usdc("450"), Instant.parse("2026-11-30T20:00:00Z"))
                .pays(usdc("100"), MERCHANT);
        Instant resetsAt = resetsAt(rule.check(
                        request.at(Instant.parse("2026-11-30T22:00:00Z")).build()))
                .orElseThrow();

        assertThat(resetsAt).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(rule.check(request.at(resetsAt.minusNanos(1)).build())).hasSize(1);
        assertThat(rule.check(request.at(resetsAt).build())).isEmpty();
    }

    @Test
    void aCalendarWeekStartsOnMonday() {
        Calendar week = new Calendar(Calendar.Unit.WEEK, ZoneOffset.UTC);
        EvaluationBuilder sunday = evaluation()
                .noBudgets()
                .budget(usdc("100"), week)
                .at(Instant.parse("2026-11-29T23:59:00Z"))
                .spent(usdc("60"), Instant.parse("2026-11-23T00:00:00Z"))
                .spent(usdc("100"), Instant.parse("2026-11-22T23:59:59Z"))
                .pays(usdc("50"), MERCHANT);

        assertThat(resetsAt(rule.check(sunday.build()))).contains(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(rule.check(sunday.build()).getFirst().numbers())
                .map(Numbers::used)
                .contains(usdc("60"));
    }

    @Test
    void aCalendarDayLastsTwentyFiveHoursWhenDaylightSavingEnds() {
        // In New York, 2026-11-01 runs from 04:00Z to 05:00Z the next day.
        Calendar day = new Calendar(Calendar.Unit.DAY, ZoneId.of("America/New_York"));
        EvaluationBuilder lateThatDay = evaluation()
                .noBudgets()
                .budget(usdc("100"), day)
                .spent(usdc("80"), Instant.parse("2026-11-01T04:00:00Z"))
                .pays(usdc("30"), MERCHANT);

        assertThat(resetsAt(rule.check(
                        lateThatDay.at(Instant.parse("2026-11-02T04:30:00Z")).build())))
                .contains(Instant.parse("2026-11-02T05:00:00Z"));
        assertThat(rule.check(
                        lateThatDay.at(Instant.parse("2026-11-02T05:00:00Z")).build()))
                .isEmpty();
    }

    @Test
    void reportsNoResetForACalendarBudgetTheRequestAloneExceeds() {
        List<Reason> reasons = rule.check(evaluation()
                .noBudgets()
                .budget(usdc("500"), BERLIN_MONTH)
                .pays(usdc("600"), MERCHANT)
                .build());

        assertThat(resetsAt(reasons)).isEmpty();
    }

    private static EvaluationBuilder after(List<SpendingState.Spend> history) {
        EvaluationBuilder evaluation = evaluation();
        history.forEach(spend -> evaluation.spent(spend.amount(), spend.at()));
        return evaluation;
    }

    private List<Duration> windowsExceeded(EvaluationBuilder evaluation) {
        return rule.check(evaluation.build()).stream()
                .map(reason -> reason.numbers().orElseThrow().window().orElseThrow())
                .toList();
    }

    private static Optional<Instant> resetsAt(List<Reason> reasons) {
        assertThat(reasons).hasSize(1);
        return reasons.getFirst().numbers().orElseThrow().resetsAt();
    }
}
