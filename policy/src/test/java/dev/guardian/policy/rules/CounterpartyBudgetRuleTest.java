package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
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
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The merchant may receive at most 100 USDC per rolling 24h; 70 went to it two hours ago. */
class CounterpartyBudgetRuleTest {
    private static final Instant EARLIER = NOW.minus(Duration.ofHours(2));
    private final Rule rule = new CounterpartyBudgetRule();

    private static EvaluationBuilder merchantCapped(WindowBudget... limits) {
        return evaluation()
                .allowlisted(MERCHANT, new AllowlistEntry("coffee shop", Optional.empty(), List.of(limits)))
                .sent(usdc("70"), MERCHANT, EARLIER);
    }

    private static EvaluationBuilder merchantCapped() {
        return merchantCapped(new WindowBudget(usdc("100"), DAY));
    }

    @Test
    void deniesAPaymentThatWouldSendACounterpartyMoreThanItsCap() {
        List<Reason> reasons =
                rule.check(merchantCapped().pays(usdc("40"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.COUNTERPARTY_BUDGET);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.subject()).contains(MERCHANT);
            assertThat(reason.message())
                    .isEqualTo("24h budget for USDC sent to coffee shop (" + MERCHANT
                            + ") would be exceeded: 70 used of 100, this request 40");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("100"),
                            usdc("40"),
                            usdc("70"),
                            usdc("30"),
                            Optional.of(DAY),
                            Optional.of(EARLIER.plus(DAY))));
        });
    }

    @Test
    void allowsExactlyWhatIsLeftAndDeniesOneUnitMore() {
        assertThat(rule.check(merchantCapped().pays(usdc("30"), MERCHANT).build()))
                .isEmpty();
        assertThat(rule.check(merchantCapped().pays(usdc("30.000001"), MERCHANT).build()))
                .hasSize(1);
    }

    @Test
    void addsUpEveryTransferOfTheRequestToThatCounterparty() {
        List<Reason> reasons = rule.check(merchantCapped()
                .pays(usdc("20"), MERCHANT)
                .pays(usdc("500"), DEX_ROUTER)
                .pays(usdc("15"), MERCHANT)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason ->
                        assertThat(reason.numbers()).map(Numbers::attempted).contains(usdc("35")));
    }

    @Test
    void countsOnlyWhatWentToThatCounterpartyInThatAsset() {
        assertThat(rule.check(merchantCapped()
                        .sent(usdc("500"), STRANGER, EARLIER)
                        .sent(eth("5"), MERCHANT, EARLIER)
                        .pays(usdc("30"), MERCHANT)
                        .pays(eth("1"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void ignoresMoneyThatDoesNotComeFromTheWallet() {
        assertThat(rule.check(merchantCapped()
                        .effect(new Transfer(usdc("500"), DEX_ROUTER, MERCHANT))
                        .effect(new Transfer(usdc("500"), WALLET, WALLET))
                        .build()))
                .isEmpty();
    }

    @Test
    void forgetsWhatWasSentOnceItLeavesTheWindow() {
        assertThat(rule.check(merchantCapped()
                        .at(EARLIER.plus(DAY))
                        .pays(usdc("100"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void capsPerCalendarPeriodTooAndResetsAtTheNextOne() {
        Calendar day = new Calendar(Calendar.Unit.DAY, ZoneOffset.UTC);

        List<Reason> reasons = rule.check(merchantCapped(new WindowBudget(usdc("100"), day))
                .pays(usdc("31"), MERCHANT)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.message()).startsWith("calendar day (UTC) budget for USDC sent to coffee shop");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("100"),
                            usdc("31"),
                            usdc("70"),
                            usdc("30"),
                            Optional.empty(),
                            Optional.of(Instant.parse("2026-11-27T00:00:00Z"))));
        });
    }

    @Test
    void stillCapsACounterpartyWhoseEntryHasExpired() {
        List<Reason> reasons = rule.check(evaluation()
                .allowlisted(
                        MERCHANT,
                        new AllowlistEntry(
                                "coffee shop", Optional.of(EARLIER), List.of(new WindowBudget(usdc("100"), DAY))))
                .pays(usdc("101"), MERCHANT)
                .build());

        assertThat(reasons).extracting(Reason::rule).containsExactly(RuleId.COUNTERPARTY_BUDGET);
    }

    @Test
    void leavesCounterpartiesWithoutCapsAndStrangersToOtherRules() {
        assertThat(rule.check(evaluation()
                        .pays(usdc("1000"), MERCHANT)
                        .pays(usdc("1000"), STRANGER)
                        .build()))
                .isEmpty();
    }
}
