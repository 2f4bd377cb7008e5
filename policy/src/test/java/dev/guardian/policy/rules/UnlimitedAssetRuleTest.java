package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SHADY;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.DAY;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnlimitedAssetRuleTest {
    private final Rule rule = new UnlimitedAssetRule();

    @Test
    void escalatesAnAssetThePolicySaysNothingAbout() {
        // The default policy limits USDC only; ether leaving the wallet is not "unlimited", it is unconfigured.
        List<Reason> reasons =
                rule.check(evaluation().pays(eth("0.1"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ASSET_UNLIMITED);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.message()).contains("ETH");
        });
    }

    @Test
    void namesEachUnconfiguredAssetOnce() {
        assertThat(rule.check(evaluation()
                        .pays(eth("0.1"), MERCHANT)
                        .pays(eth("0.2"), STRANGER)
                        .build()))
                .hasSize(1);
    }

    @Test
    void passesAnAssetWithOnlyAPerTransactionCap() {
        assertThat(rule.check(evaluation().noBudgets().pays(usdc("1"), MERCHANT).build()))
                .isEmpty();
    }

    @Test
    void passesAnAssetWithOnlyAWindowBudget() {
        assertThat(rule.check(evaluation().noCaps().pays(usdc("1"), MERCHANT).build()))
                .isEmpty();
    }

    @Test
    void anAllowanceOfAnAssetWithABudgetIsBoundedByTheBudgetWithoutACap() {
        // An allowance counts against budgets as if it moved, so a budget bounds it as it bounds a payment.
        assertThat(rule.check(
                        evaluation().noCaps().approves(usdc("10"), DEX_ROUTER).build()))
                .isEmpty();
    }

    @Test
    void escalatesAnAllowanceOfAnAssetWithNeitherCapNorBudget() {
        List<Reason> reasons = rule.check(
                evaluation().noLimits().approves(unlimited(USDC), DEX_ROUTER).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ASSET_UNLIMITED);
            assertThat(reason.message()).contains("allowance").contains("USDC");
        });
    }

    @Test
    void aRevocationNeedsNoLimit() {
        assertThat(rule.check(
                        evaluation().noLimits().approves(usdc("0"), DEX_ROUTER).build()))
                .isEmpty();
    }

    @Test
    void aHardPerTransactionLimitBoundsTransfersAndApprovalsLikeACap() {
        assertThat(rule.check(evaluation()
                        .noLimits()
                        .limit(usdc("250"))
                        .pays(usdc("1"), MERCHANT)
                        .approves(unlimited(USDC), DEX_ROUTER)
                        .build()))
                .isEmpty();
    }

    @Test
    void aCalendarBudgetBoundsTransfersLikeARollingOne() {
        BudgetPeriod.Calendar month = new BudgetPeriod.Calendar(BudgetPeriod.Calendar.Unit.MONTH, ZoneOffset.UTC);

        assertThat(rule.check(evaluation()
                        .noLimits()
                        .budget(usdc("500"), month)
                        .pays(usdc("1"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void passesAnApprovalOfACappedAsset() {
        assertThat(rule.check(evaluation().approves(usdc("50"), DEX_ROUTER).build()))
                .isEmpty();
    }

    @Test
    void leavesUnknownTokensToTheirOwnRule() {
        assertThat(rule.check(evaluation()
                        .pays(TokenAmount.ofUnits(SHADY, 1), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void ignoresAssetsThatOnlyArrive() {
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(eth("1"), STRANGER, WALLET))
                        .build()))
                .isEmpty();
    }

    @Test
    void passesEtherOnceThePolicyBudgetsIt() {
        assertThat(rule.check(evaluation()
                        .budget(eth("1"), DAY)
                        .pays(eth("0.1"), MERCHANT)
                        .build()))
                .isEmpty();
    }
}
