package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SHADY;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownAssetRuleTest {
    private final Rule rule = new UnknownAssetRule();

    @Test
    void escalatesSendingATokenGuardianCannotValue() {
        List<Reason> reasons = rule.check(
                evaluation().pays(TokenAmount.ofUnits(SHADY, 1_000), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ASSET_UNKNOWN);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(SHADY.contract());
            assertThat(reason.message()).contains(SHADY.contract().toString());
        });
    }

    @Test
    void escalatesAnApprovalOfAnUnknownToken() {
        List<Reason> reasons =
                rule.check(evaluation().approves(unlimited(SHADY), DEX_ROUTER).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ASSET_UNKNOWN);
            assertThat(reason.subject()).contains(SHADY.contract());
            assertThat(reason.message()).contains("allowance");
        });
    }

    @Test
    void namesEachUnknownTokenOnce() {
        List<Reason> reasons = rule.check(evaluation()
                .pays(TokenAmount.ofUnits(SHADY, 1), MERCHANT)
                .pays(TokenAmount.ofUnits(SHADY, 2), STRANGER)
                .approves(TokenAmount.ofUnits(SHADY, 3), DEX_ROUTER)
                .build());

        assertThat(reasons).hasSize(1);
    }

    @Test
    void ignoresUnknownTokensThatOnlyArriveInTheWallet() {
        // Airdropped spam tokens are common; receiving one is not a payment.
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(TokenAmount.ofUnits(SHADY, 5), STRANGER, WALLET))
                        .build()))
                .isEmpty();
    }

    @Test
    void passesKnownAssets() {
        assertThat(rule.check(evaluation()
                        .pays(usdc("1"), MERCHANT)
                        .approves(usdc("1"), DEX_ROUTER)
                        .build()))
                .isEmpty();
    }
}
