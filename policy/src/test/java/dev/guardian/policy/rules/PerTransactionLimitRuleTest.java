package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every test sets a hard USDC limit of 250 on top of the default escalation cap of 100. */
class PerTransactionLimitRuleTest {
    private final Rule rule = new PerTransactionLimitRule();

    private static EvaluationBuilder limited() {
        return evaluation().limit(usdc("250"));
    }

    @Test
    void deniesAPaymentAboveTheLimitWithItsFigures() {
        List<Reason> reasons = rule.check(limited().pays(usdc("300"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.PER_TRANSACTION_LIMIT);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message())
                    .isEqualTo("this request sends 300 USDC, above the per-transaction limit of 250 USDC");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("250"), usdc("300"), usdc("0"), usdc("250"), Optional.empty(), Optional.empty()));
        });
    }

    @Test
    void allowsExactlyTheLimitAndDeniesOneUnitMore() {
        assertThat(rule.check(limited().pays(usdc("250"), MERCHANT).build())).isEmpty();
        assertThat(rule.check(limited().pays(usdc("250.000001"), MERCHANT).build()))
                .hasSize(1);
    }

    @Test
    void addsUpEveryMovementOfTheRequest() {
        List<Reason> reasons = rule.check(limited()
                .pays(usdc("200"), DEX_ROUTER)
                .pays(usdc("50.5"), STRANGER)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason ->
                        assertThat(reason.numbers()).map(Numbers::attempted).contains(usdc("250.5")));
    }

    @Test
    void deniesAnApprovalAboveTheLimit() {
        List<Reason> reasons = rule.check(limited()
                .approves(unlimited(USDC), DEX_ROUTER)
                .approves(usdc("250"), MERCHANT)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.subject()).contains(DEX_ROUTER);
            assertThat(reason.message())
                    .isEqualTo("this request approves " + DEX_ROUTER
                            + " to spend unlimited USDC, above the per-transaction limit of 250 USDC");
        });
    }

    @Test
    void leavesAmountsBetweenCapAndLimitToTheCap() {
        assertThat(rule.check(limited().pays(usdc("150"), MERCHANT).build())).isEmpty();
        assertThat(new PerTransactionCapRule()
                        .check(limited().pays(usdc("150"), MERCHANT).build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.PER_TRANSACTION_CAP);
    }

    @Test
    void judgesEachAssetAgainstItsOwnLimit() {
        List<Reason> reasons = rule.check(limited()
                .limit(eth("0.5"))
                .pays(usdc("250"), MERCHANT)
                .pays(eth("0.6"), MERCHANT)
                .build());

        assertThat(reasons)
                .extracting(Reason::message)
                .containsExactly("this request sends 0.6 ETH, above the per-transaction limit of 0.5 ETH");
    }

    @Test
    void setsNoLimitWhereThePolicySetsNone() {
        assertThat(rule.check(evaluation().pays(usdc("1000000"), MERCHANT).build()))
                .isEmpty();
    }
}
