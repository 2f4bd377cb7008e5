package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default policy caps USDC at 100 per request. */
class PerTransactionCapRuleTest {
    private final Rule rule = new PerTransactionCapRule();

    @Test
    void escalatesAPaymentAboveTheCapWithItsFigures() {
        List<Reason> reasons =
                rule.check(evaluation().pays(usdc("130"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.PER_TRANSACTION_CAP);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.message())
                    .isEqualTo("this request sends 130 USDC, above the per-transaction cap of 100 USDC");
            assertThat(reason.numbers())
                    .contains(new Numbers(
                            usdc("100"), usdc("130"), usdc("0"), usdc("100"), Optional.empty(), Optional.empty()));
        });
    }

    @Test
    void passesAPaymentOfExactlyTheCap() {
        assertThat(rule.check(evaluation().pays(usdc("100"), MERCHANT).build())).isEmpty();
    }

    @Test
    void addsUpAPaymentHiddenInsideAContractCall() {
        // A "swap" that, two calls deep, also pays a stranger: each movement is under the cap, together they are not.
        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("60"), DEX_ROUTER)
                .pays(usdc("45.5"), STRANGER)
                .effect(new Transfer(usdc("1000"), DEX_ROUTER, STRANGER)) // not the wallet's money
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason ->
                        assertThat(reason.numbers()).map(Numbers::attempted).contains(usdc("105.5")));
    }

    @Test
    void escalatesAnUnlimitedApproval() {
        List<Reason> reasons =
                rule.check(evaluation().approves(unlimited(USDC), DEX_ROUTER).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.PER_TRANSACTION_CAP);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(DEX_ROUTER);
            assertThat(reason.message())
                    .contains("approves")
                    .contains("unlimited USDC")
                    .contains("100 USDC");
            assertThat(reason.numbers()).map(Numbers::attempted).contains(unlimited(USDC));
        });
    }

    @Test
    void escalatesEachApprovalAboveTheCapOnItsOwn() {
        List<Reason> reasons = rule.check(evaluation()
                .approves(usdc("101"), DEX_ROUTER)
                .approves(usdc("100"), MERCHANT)
                .approves(usdc("250"), STRANGER)
                .build());

        assertThat(reasons).extracting(Reason::subject).containsExactly(Optional.of(DEX_ROUTER), Optional.of(STRANGER));
    }

    @Test
    void ignoresMoneyThatDoesNotLeaveTheWallet() {
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(usdc("500"), WALLET, WALLET))
                        .effect(new Transfer(usdc("500"), STRANGER, WALLET))
                        .build()))
                .isEmpty();
    }

    @Test
    void judgesEachAssetAgainstItsOwnCap() {
        List<Reason> reasons = rule.check(evaluation()
                .cap(eth("0.05"))
                .pays(usdc("99"), MERCHANT)
                .pays(eth("0.06"), MERCHANT)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason ->
                        assertThat(reason.message()).contains("0.06 ETH").contains("0.05 ETH"));
    }

    @Test
    void leavesAssetsWithoutACapToOtherRules() {
        assertThat(rule.check(evaluation().pays(eth("1000"), MERCHANT).build())).isEmpty();
    }
}
