package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtherWalletMovedRuleTest {
    private static final Address SISTER = Address.parse("0x00000000000000000000000000000000000000a1");

    private final Rule rule = new OtherWalletMovedRule();

    @Test
    void deniesAPullFromAnotherWalletOfTheAgent() {
        List<Reason> reasons = rule.check(evaluation()
                .otherWallet(SISTER)
                .effect(new Transfer(usdc("50"), SISTER, STRANGER))
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.OTHER_WALLET_MOVED);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.subject()).contains(SISTER);
            assertThat(reason.message()).contains(WALLET.toString());
        });
    }

    @Test
    void deniesAnAllowanceOverAnotherWalletOfTheAgent() {
        assertThat(rule.check(evaluation()
                        .otherWallet(SISTER)
                        .effect(new Approval(usdc("1"), SISTER, STRANGER))
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.OTHER_WALLET_MOVED);
    }

    @Test
    void namesEachWalletOnceWhateverItMoves() {
        assertThat(rule.check(evaluation()
                        .otherWallet(SISTER)
                        .effect(new Transfer(usdc("1"), SISTER, STRANGER))
                        .effect(new Approval(usdc("1"), SISTER, STRANGER))
                        .build()))
                .hasSize(1);
    }

    @Test
    void passesPaymentsIntoAnotherWalletAndMovesOfThePayingWallet() {
        assertThat(rule.check(evaluation()
                        .otherWallet(SISTER)
                        .pays(usdc("5"), SISTER)
                        .pays(usdc("5"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void passesAnAgentWithOneWallet() {
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(usdc("1"), SISTER, STRANGER))
                        .build()))
                .isEmpty();
    }
}
