package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.SHADY;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class UnlimitedAllowanceRuleTest {
    private final Rule rule = new UnlimitedAllowanceRule();

    @Test
    void escalatesAnUnlimitedAllowanceAndAnOperatorOfAllTokens() {
        assertThat(rule.check(evaluation().approves(unlimited(USDC), DEX_ROUTER).build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.ALLOWANCE_UNLIMITED);
        assertThat(rule.check(evaluation()
                        .effect(new Approval(unlimited(SHADY), WALLET, DEX_ROUTER, Approval.Kind.OPERATOR))
                        .build()))
                .singleElement()
                .satisfies(reason -> assertThat(reason.message()).contains("operator"));
    }

    @Test
    void passesABoundedAllowance() {
        assertThat(rule.check(evaluation()
                        .approves(new TokenAmount(USDC, Approval.UNLIMITED.subtract(BigInteger.ONE)), DEX_ROUTER)
                        .build()))
                .isEmpty();
        assertThat(rule.check(evaluation().approves(usdc("50"), DEX_ROUTER).build()))
                .isEmpty();
    }

    @Test
    void aPermit2AllowanceOfUint160MaxIsUnlimitedAsUint256MaxIsForAnErc20() {
        Approval permit2Max =
                new Approval(new TokenAmount(USDC, Approval.MAX_UINT160), WALLET, DEX_ROUTER, Approval.Kind.PERMIT2);
        Approval permit2Bounded = new Approval(
                new TokenAmount(USDC, Approval.UNLIMITED_PERMIT2.subtract(BigInteger.ONE)),
                WALLET,
                DEX_ROUTER,
                Approval.Kind.PERMIT2);
        Approval erc20OfTheSameSize = new Approval(new TokenAmount(USDC, Approval.MAX_UINT160), WALLET, DEX_ROUTER);

        assertThat(rule.check(evaluation().effect(permit2Max).build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.ALLOWANCE_UNLIMITED);
        assertThat(rule.check(evaluation().effect(permit2Bounded).build())).isEmpty();
        assertThat(rule.check(evaluation().effect(erc20OfTheSameSize).build()))
                .as("2^160-1 is no special value of an ERC-20 allowance")
                .isEmpty();
    }

    @Test
    void underABudgetTheEngineDeniesIt() {
        assertThat(new PolicyEngine()
                        .evaluate(evaluation()
                                .approves(unlimited(USDC), DEX_ROUTER)
                                .allowlisted(DEX_ROUTER)
                                .build()))
                .isInstanceOf(Decision.Deny.class);
    }
}
